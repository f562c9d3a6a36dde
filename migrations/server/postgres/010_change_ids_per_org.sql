-- Change ids are unique within an organisation, like log and device ids:
-- another organisation pushing an id already used here is not told it
-- exists.
ALTER TABLE changes DROP CONSTRAINT changes_change_id_key;
ALTER TABLE changes ADD CONSTRAINT changes_org_change_id_key UNIQUE (org_id, change_id);
