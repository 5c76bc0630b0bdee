ALTER TABLE "plans" ADD COLUMN "attempt_key" text;--> statement-breakpoint
-- Existing databases: repair what earlier versions could leave behind before the constraints are
-- added (this runs at every start). A parent id that names no plan becomes null, and where a scope
-- somehow has several published plans, all but the highest version become superseded.
UPDATE "plans" SET "parent_plan_id" = NULL
  WHERE "parent_plan_id" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "plans" p WHERE p."id" = "plans"."parent_plan_id");--> statement-breakpoint
UPDATE "plans" SET "status" = 'superseded'
  WHERE "status" = 'published'
    AND EXISTS (SELECT 1 FROM "plans" p WHERE p."scope_id" = "plans"."scope_id" AND p."status" = 'published' AND p."version" > "plans"."version");--> statement-breakpoint
ALTER TABLE "plans" ADD CONSTRAINT "plans_parent_plan_id_plans_id_fk" FOREIGN KEY ("parent_plan_id") REFERENCES "public"."plans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "plans_attempt_key_uq" ON "plans" USING btree ("attempt_key");--> statement-breakpoint
CREATE UNIQUE INDEX "plans_one_published_uq" ON "plans" USING btree ("scope_id") WHERE "plans"."status" = 'published';--> statement-breakpoint
ALTER TABLE "plan_items" ADD CONSTRAINT "plan_items_opening_qty_ck" CHECK ("plan_items"."opening_qty" >= 0);--> statement-breakpoint
ALTER TABLE "plan_items" ADD CONSTRAINT "plan_items_units_ck" CHECK ("plan_items"."expected_units" >= 0 and "plan_items"."units_lo" >= 0 and "plan_items"."units_hi" >= 0 and "plan_items"."units_lo" <= "plan_items"."units_hi");--> statement-breakpoint
ALTER TABLE "plan_items" ADD CONSTRAINT "plan_items_launch_week_ck" CHECK (extract(isodow from "plan_items"."launch_week") = 1);--> statement-breakpoint
ALTER TABLE "plans" ADD CONSTRAINT "plans_status_ck" CHECK ("plans"."status" in ('draft', 'published', 'rejected', 'superseded'));--> statement-breakpoint
ALTER TABLE "plans" ADD CONSTRAINT "plans_version_ck" CHECK ("plans"."version" >= 1);--> statement-breakpoint
ALTER TABLE "plans" ADD CONSTRAINT "plans_parent_ck" CHECK ("plans"."parent_plan_id" <> "plans"."id");