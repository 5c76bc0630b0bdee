CREATE TABLE "audience_members" (
	"set_id" integer NOT NULL,
	"candidate_id" text NOT NULL,
	"rank" integer NOT NULL,
	"customer_id" text NOT NULL,
	"score" double precision NOT NULL,
	CONSTRAINT "audience_members_set_id_candidate_id_rank_pk" PRIMARY KEY("set_id","candidate_id","rank"),
	CONSTRAINT "audience_members_rank_ck" CHECK ("audience_members"."rank" >= 1)
);
--> statement-breakpoint
CREATE TABLE "candidate_audiences" (
	"set_id" integer NOT NULL,
	"candidate_id" text NOT NULL,
	"audience_size" integer NOT NULL,
	"expected_buyers" double precision NOT NULL,
	"by_region" jsonb NOT NULL,
	"by_segment" jsonb NOT NULL,
	CONSTRAINT "candidate_audiences_set_id_candidate_id_pk" PRIMARY KEY("set_id","candidate_id"),
	CONSTRAINT "candidate_audiences_size_ck" CHECK ("candidate_audiences"."audience_size" >= 0)
);
--> statement-breakpoint
CREATE TABLE "customer_orders" (
	"customer_id" text NOT NULL,
	"sku" text NOT NULL,
	"week" date NOT NULL,
	"units" double precision NOT NULL,
	CONSTRAINT "customer_orders_customer_id_sku_week_pk" PRIMARY KEY("customer_id","sku","week"),
	CONSTRAINT "customer_orders_units_ck" CHECK ("customer_orders"."units" > 0),
	CONSTRAINT "customer_orders_week_ck" CHECK (extract(isodow from "customer_orders"."week") = 1)
);
--> statement-breakpoint
CREATE TABLE "customers" (
	"id" text PRIMARY KEY NOT NULL,
	"region" text NOT NULL,
	"attributes" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "prelaunch_signals" (
	"item_id" text NOT NULL,
	"week" date NOT NULL,
	"views" double precision,
	"wishlists" double precision,
	"preorders" double precision,
	"notify_signups" double precision,
	CONSTRAINT "prelaunch_signals_item_id_week_pk" PRIMARY KEY("item_id","week"),
	CONSTRAINT "prelaunch_signals_week_ck" CHECK (extract(isodow from "prelaunch_signals"."week") = 1),
	CONSTRAINT "prelaunch_signals_nonneg_ck" CHECK (coalesce("prelaunch_signals"."views", 0) >= 0 and coalesce("prelaunch_signals"."wishlists", 0) >= 0 and coalesce("prelaunch_signals"."preorders", 0) >= 0 and coalesce("prelaunch_signals"."notify_signups", 0) >= 0)
);
--> statement-breakpoint
ALTER TABLE "plans" ADD COLUMN "rule_overrides" jsonb;--> statement-breakpoint
ALTER TABLE "audience_members" ADD CONSTRAINT "audience_members_set_id_forecast_sets_id_fk" FOREIGN KEY ("set_id") REFERENCES "public"."forecast_sets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audience_members" ADD CONSTRAINT "audience_members_candidate_id_candidates_id_fk" FOREIGN KEY ("candidate_id") REFERENCES "public"."candidates"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audience_members" ADD CONSTRAINT "audience_members_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "candidate_audiences" ADD CONSTRAINT "candidate_audiences_set_id_forecast_sets_id_fk" FOREIGN KEY ("set_id") REFERENCES "public"."forecast_sets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "candidate_audiences" ADD CONSTRAINT "candidate_audiences_candidate_id_candidates_id_fk" FOREIGN KEY ("candidate_id") REFERENCES "public"."candidates"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_orders" ADD CONSTRAINT "customer_orders_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "customer_orders_sku_idx" ON "customer_orders" USING btree ("sku");