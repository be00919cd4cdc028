-- Who told which stakeholder of the crisis plan about an incident, and when. Times are Unix
-- nanoseconds, as in the SQLite store. Rows are only ever added: telling someone again is a new row,
-- so the review sees every time.
CREATE TABLE incident_stakeholders (
	id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	incident_id bigint NOT NULL REFERENCES incidents (id),
	stakeholder text   NOT NULL,
	informed_at bigint NOT NULL,
	informed_by text   NOT NULL
);
CREATE INDEX incident_stakeholders_incident ON incident_stakeholders (incident_id, id);
