CREATE TABLE "artifacts" (
	"uri" text PRIMARY KEY NOT NULL,
	"content" "bytea" NOT NULL,
	"bytes" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "candidates" (
	"id" text PRIMARY KEY NOT NULL,
	"scope_id" text NOT NULL,
	"name" text NOT NULL,
	"category" text NOT NULL,
	"subcategory" text NOT NULL,
	"brand" text NOT NULL,
	"price" double precision NOT NULL,
	"unit_cost" double precision NOT NULL,
	"salvage_value" double precision NOT NULL,
	"moq" integer DEFAULT 0 NOT NULL,
	"lead_time_weeks" integer DEFAULT 0 NOT NULL,
	"earliest_week" date NOT NULL,
	"latest_week" date NOT NULL,
	"must_launch" boolean DEFAULT false NOT NULL,
	"attributes" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"launched_week" date,
	"committed_qty" integer
);
--> statement-breakpoint
CREATE TABLE "competitor_events" (
	"id" serial PRIMARY KEY NOT NULL,
	"competitor" text NOT NULL,
	"category" text NOT NULL,
	"region" text NOT NULL,
	"week" date NOT NULL,
	"kind" text DEFAULT 'launch' NOT NULL,
	"description" text DEFAULT '' NOT NULL
);
--> statement-breakpoint
CREATE TABLE "dataset_snapshots" (
	"id" serial PRIMARY KEY NOT NULL,
	"scope_id" text NOT NULL,
	"sales_through" date NOT NULL,
	"row_counts" jsonb NOT NULL,
	"checksum" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "forecast_points" (
	"set_id" integer NOT NULL,
	"series_key" text NOT NULL,
	"step" integer NOT NULL,
	"mean" double precision NOT NULL,
	"lo_80" double precision NOT NULL,
	"hi_80" double precision NOT NULL,
	"lo_95" double precision NOT NULL,
	"hi_95" double precision NOT NULL,
	CONSTRAINT "forecast_points_set_id_series_key_step_pk" PRIMARY KEY("set_id","series_key","step")
);
--> statement-breakpoint
CREATE TABLE "forecast_series" (
	"set_id" integer NOT NULL,
	"series_key" text NOT NULL,
	"kind" text NOT NULL,
	"model" text NOT NULL,
	"params" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"backtest" jsonb,
	"error" text,
	CONSTRAINT "forecast_series_set_id_series_key_pk" PRIMARY KEY("set_id","series_key")
);
--> statement-breakpoint
CREATE TABLE "forecast_sets" (
	"id" serial PRIMARY KEY NOT NULL,
	"scope_id" text NOT NULL,
	"run_id" text NOT NULL,
	"snapshot_id" integer,
	"horizon" integer NOT NULL,
	"start_week" date NOT NULL,
	"method" text NOT NULL,
	"summary" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "idempotency_keys" (
	"key" text PRIMARY KEY NOT NULL,
	"route" text NOT NULL,
	"request_hash" text NOT NULL,
	"workflow_id" text NOT NULL,
	"response" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "indicators" (
	"name" text NOT NULL,
	"week" date NOT NULL,
	"value" double precision NOT NULL,
	CONSTRAINT "indicators_name_week_pk" PRIMARY KEY("name","week")
);
--> statement-breakpoint
CREATE TABLE "inventory_snapshots" (
	"sku" text NOT NULL,
	"region" text NOT NULL,
	"week" date NOT NULL,
	"on_hand" double precision NOT NULL,
	"on_order" double precision DEFAULT 0 NOT NULL,
	CONSTRAINT "inventory_snapshots_sku_region_week_pk" PRIMARY KEY("sku","region","week")
);
--> statement-breakpoint
CREATE TABLE "models" (
	"id" serial PRIMARY KEY NOT NULL,
	"scope_id" text NOT NULL,
	"kind" text NOT NULL,
	"version" integer NOT NULL,
	"snapshot_id" integer,
	"hyper" jsonb NOT NULL,
	"metrics" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"artifact_uri" text,
	"backend" text,
	"status" text DEFAULT 'training' NOT NULL,
	"is_champion" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "plan_items" (
	"plan_id" integer NOT NULL,
	"candidate_id" text NOT NULL,
	"launch_week" date NOT NULL,
	"opening_qty" integer NOT NULL,
	"expected_units" double precision NOT NULL,
	"units_lo" double precision NOT NULL,
	"units_hi" double precision NOT NULL,
	"expected_margin" double precision NOT NULL,
	"rationale" jsonb NOT NULL,
	"fixed" boolean DEFAULT false NOT NULL,
	CONSTRAINT "plan_items_plan_id_candidate_id_pk" PRIMARY KEY("plan_id","candidate_id")
);
--> statement-breakpoint
CREATE TABLE "plans" (
	"id" serial PRIMARY KEY NOT NULL,
	"scope_id" text NOT NULL,
	"version" integer NOT NULL,
	"parent_plan_id" integer,
	"run_id" text NOT NULL,
	"forecast_set_id" integer,
	"status" text DEFAULT 'draft' NOT NULL,
	"method" text NOT NULL,
	"objective" double precision NOT NULL,
	"gap" double precision,
	"summary" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"diff" jsonb,
	"decided_by" text,
	"decision_note" text,
	"decided_at" timestamp with time zone,
	"published_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "products" (
	"sku" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"category" text NOT NULL,
	"subcategory" text NOT NULL,
	"brand" text NOT NULL,
	"price" double precision NOT NULL,
	"unit_cost" double precision NOT NULL,
	"launch_week" date NOT NULL,
	"attributes" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "promotions" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"region" text NOT NULL,
	"category" text,
	"start_week" date NOT NULL,
	"end_week" date NOT NULL,
	"discount" double precision DEFAULT 0 NOT NULL,
	"kind" text DEFAULT 'promotion' NOT NULL
);
--> statement-breakpoint
CREATE TABLE "runs" (
	"workflow_id" text PRIMARY KEY NOT NULL,
	"scope_id" text NOT NULL,
	"kind" text NOT NULL,
	"trigger" text NOT NULL,
	"status" text DEFAULT 'running' NOT NULL,
	"detail" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"error" text,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "sales" (
	"sku" text NOT NULL,
	"region" text NOT NULL,
	"week" date NOT NULL,
	"units" double precision NOT NULL,
	"price" double precision NOT NULL,
	"promo" boolean DEFAULT false NOT NULL,
	"stockout" boolean DEFAULT false NOT NULL,
	CONSTRAINT "sales_sku_region_week_pk" PRIMARY KEY("sku","region","week")
);
--> statement-breakpoint
CREATE TABLE "scopes" (
	"id" text PRIMARY KEY NOT NULL,
	"region" text NOT NULL,
	"categories" text[] NOT NULL,
	"rules" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "candidates" ADD CONSTRAINT "candidates_scope_id_scopes_id_fk" FOREIGN KEY ("scope_id") REFERENCES "public"."scopes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dataset_snapshots" ADD CONSTRAINT "dataset_snapshots_scope_id_scopes_id_fk" FOREIGN KEY ("scope_id") REFERENCES "public"."scopes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "forecast_points" ADD CONSTRAINT "forecast_points_set_id_forecast_sets_id_fk" FOREIGN KEY ("set_id") REFERENCES "public"."forecast_sets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "forecast_series" ADD CONSTRAINT "forecast_series_set_id_forecast_sets_id_fk" FOREIGN KEY ("set_id") REFERENCES "public"."forecast_sets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "forecast_sets" ADD CONSTRAINT "forecast_sets_scope_id_scopes_id_fk" FOREIGN KEY ("scope_id") REFERENCES "public"."scopes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "forecast_sets" ADD CONSTRAINT "forecast_sets_snapshot_id_dataset_snapshots_id_fk" FOREIGN KEY ("snapshot_id") REFERENCES "public"."dataset_snapshots"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "models" ADD CONSTRAINT "models_scope_id_scopes_id_fk" FOREIGN KEY ("scope_id") REFERENCES "public"."scopes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "models" ADD CONSTRAINT "models_snapshot_id_dataset_snapshots_id_fk" FOREIGN KEY ("snapshot_id") REFERENCES "public"."dataset_snapshots"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_items" ADD CONSTRAINT "plan_items_plan_id_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."plans"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_items" ADD CONSTRAINT "plan_items_candidate_id_candidates_id_fk" FOREIGN KEY ("candidate_id") REFERENCES "public"."candidates"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plans" ADD CONSTRAINT "plans_scope_id_scopes_id_fk" FOREIGN KEY ("scope_id") REFERENCES "public"."scopes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plans" ADD CONSTRAINT "plans_forecast_set_id_forecast_sets_id_fk" FOREIGN KEY ("forecast_set_id") REFERENCES "public"."forecast_sets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "candidates_scope_idx" ON "candidates" USING btree ("scope_id");--> statement-breakpoint
CREATE INDEX "competitor_events_cat_week_idx" ON "competitor_events" USING btree ("category","week");--> statement-breakpoint
CREATE UNIQUE INDEX "models_scope_kind_version_uq" ON "models" USING btree ("scope_id","kind","version");--> statement-breakpoint
CREATE UNIQUE INDEX "models_one_champion_uq" ON "models" USING btree ("scope_id","kind") WHERE "models"."is_champion";--> statement-breakpoint
CREATE UNIQUE INDEX "plans_scope_version_uq" ON "plans" USING btree ("scope_id","version");--> statement-breakpoint
CREATE INDEX "plans_run_idx" ON "plans" USING btree ("run_id");--> statement-breakpoint
CREATE INDEX "products_category_idx" ON "products" USING btree ("category");--> statement-breakpoint
CREATE INDEX "runs_scope_idx" ON "runs" USING btree ("scope_id");--> statement-breakpoint
CREATE INDEX "sales_region_week_idx" ON "sales" USING btree ("region","week");