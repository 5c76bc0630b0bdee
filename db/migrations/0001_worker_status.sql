CREATE TABLE "worker_status" (
	"queue" text NOT NULL,
	"identity" text NOT NULL,
	"backend" text,
	"detail" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "worker_status_queue_identity_pk" PRIMARY KEY("queue","identity")
);
