-- Who told which stakeholder of the crisis plan about an incident, and when. Rows are only ever
-- added: telling someone again is a new row, so the review sees every time.
CREATE TABLE incident_stakeholders (
	id          INTEGER PRIMARY KEY,
	incident_id INTEGER NOT NULL REFERENCES incidents (id),
	stakeholder TEXT    NOT NULL,
	informed_at INTEGER NOT NULL,
	informed_by TEXT    NOT NULL
);
CREATE INDEX incident_stakeholders_incident ON incident_stakeholders (incident_id, id);
