-- Dated needs and consented referrals, version 29 (changes carry records
-- version 28): a person's need says since when it was known, and a
-- referral may name the consent that covers it. A device a release behind
-- holds such changes until it is upgraded (`pending_remote`).

-- A need was its area's bare name; now an object. Those held already have
-- no known day, so none is made up.
UPDATE persons SET needs = (
    SELECT json_group_array(
        CASE type WHEN 'text' THEN json_object('area', value) ELSE json(value) END)
    FROM json_each(persons.needs)
);

ALTER TABLE referrals ADD COLUMN consent_topic TEXT;
