CREATE TABLE "api_tokens" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"prefix" text NOT NULL,
	"secret_hash" text NOT NULL,
	"role" text NOT NULL,
	"scopes" text[],
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "api_tokens_role_ck" CHECK ("api_tokens"."role" in ('viewer', 'merchandiser', 'planner', 'admin'))
);
--> statement-breakpoint
CREATE TABLE "purchase_orders" (
	"id" serial PRIMARY KEY NOT NULL,
	"scope_id" text NOT NULL,
	"candidate_id" text NOT NULL,
	"plan_id" integer,
	"order_week" date NOT NULL,
	"arrival_week" date NOT NULL,
	"quantity" integer NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"rationale" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"decided_by" text,
	"decision_note" text,
	"decided_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "purchase_orders_quantity_ck" CHECK ("purchase_orders"."quantity" > 0),
	CONSTRAINT "purchase_orders_status_ck" CHECK ("purchase_orders"."status" in ('pending', 'published', 'rejected', 'cancelled')),
	CONSTRAINT "purchase_orders_order_week_ck" CHECK (extract(isodow from "purchase_orders"."order_week") = 1),
	CONSTRAINT "purchase_orders_arrival_week_ck" CHECK (extract(isodow from "purchase_orders"."arrival_week") = 1 and "purchase_orders"."arrival_week" >= "purchase_orders"."order_week")
);
--> statement-breakpoint
ALTER TABLE "purchase_orders" ADD CONSTRAINT "purchase_orders_scope_id_scopes_id_fk" FOREIGN KEY ("scope_id") REFERENCES "public"."scopes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "purchase_orders" ADD CONSTRAINT "purchase_orders_candidate_id_candidates_id_fk" FOREIGN KEY ("candidate_id") REFERENCES "public"."candidates"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "purchase_orders" ADD CONSTRAINT "purchase_orders_plan_id_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."plans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "api_tokens_secret_hash_uq" ON "api_tokens" USING btree ("secret_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "purchase_orders_item_week_uq" ON "purchase_orders" USING btree ("candidate_id","order_week");--> statement-breakpoint
CREATE INDEX "purchase_orders_scope_idx" ON "purchase_orders" USING btree ("scope_id","status");