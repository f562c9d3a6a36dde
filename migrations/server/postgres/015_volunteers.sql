-- Volunteers, version 15: `users` takes the role 'volunteer', and `logs`
-- the audience 'allocation' (a case's allocation log: what a volunteer
-- allocated to it reads).
ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check
    CHECK (role IN ('worker', 'supervisor', 'manager', 'admin', 'volunteer'));
ALTER TABLE logs DROP CONSTRAINT logs_audience_check;
ALTER TABLE logs ADD CONSTRAINT logs_audience_check
    CHECK (audience IN ('case', 'supervision', 'allocation'));
