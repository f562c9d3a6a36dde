-- A manager reads every case of the organisation and changes none.
ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check
    CHECK (role IN ('worker', 'supervisor', 'manager', 'admin'));
