-- At most one open alert per monitor and kind among those the partition owners of a scaled-out
-- installation raise (ids starting with "bus-"). Each partition has one owner at a time, and an
-- owner that takes over rebuilds the alerts its predecessor opened; this index makes that hold in
-- the database too, so an owner whose rebuild differs (history that expired) or that overlaps a
-- stalled predecessor adopts the open alert instead of raising it a second time. Alerts of a single
-- node are numbered per process and left alone.
CREATE UNIQUE INDEX alerts_bus_open ON alerts (monitor, kind) WHERE status = 'open' AND id LIKE 'bus-%';
