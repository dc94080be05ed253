-- How families reach the council's front door (issue 18): shown on their pages when nobody works with their child
-- yet and wherever a page tells them to contact the council. Set by the council's administrators.
alter table councils add column front_door_phone text, add column front_door_email text;
