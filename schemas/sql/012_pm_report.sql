-- 012_pm_report.sql — the preventive-maintenance completion rate (fmctl
-- report pm). schedd's overdue request after a downtime stands for the
-- occurrences the downtime skipped (its "missed"); dispatchd now keeps that
-- count on the order, so a skipped occurrence counts as due and not done
-- instead of vanishing from the rate.
--
-- pm_kpi: one row per work order a plan asked for, with its plan's name,
-- whether it was completed, completed in time (by the due instant plus the
-- plan's overdue_after, the same grace schedd gives before it reports the
-- occurrence overdue), or is open and overdue now.

ALTER TABLE work_orders
	ADD COLUMN missed bigint NOT NULL DEFAULT 0,
	ADD CONSTRAINT work_orders_missed CHECK (missed >= 0);

CREATE VIEW pm_kpi AS
SELECT w.wo_id, w.site_id, w.plan_id, coalesce(p.name, w.plan_id) AS plan_name,
       coalesce(p.statutory, false) AS statutory, w.device_id, w.due_at, w.created_at,
       w.completed_at, w.state, w.missed,
       w.completed_at IS NOT NULL AS done,
       w.completed_at IS NOT NULL
	   AND w.completed_at <= w.due_at + coalesce(p.overdue_after, interval '0') AS on_time,
       w.completed_at IS NULL AND w.state NOT IN ('closed', 'cancelled')
	   AND now() > w.due_at + coalesce(p.overdue_after, interval '0') AS overdue,
       w.state = 'cancelled' AS cancelled
FROM work_orders w LEFT JOIN pm_plans p ON p.plan_id = w.plan_id
WHERE w.plan_id IS NOT NULL AND w.due_at IS NOT NULL;

GRANT SELECT ON pm_kpi TO fm_fmctl;
