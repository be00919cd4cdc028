-- An alert that the routing tree sends to several escalation policies has one escalation per policy,
-- each with its own progress: the key becomes (alert_id, policy_key). Escalations started before this
-- keep an empty policy key.
ALTER TABLE escalations ADD COLUMN policy_key text NOT NULL DEFAULT '';
ALTER TABLE escalations DROP CONSTRAINT escalations_pkey;
ALTER TABLE escalations ADD PRIMARY KEY (alert_id, policy_key);
