-- 001_registry.sql — the registry: sites, areas (片区), buildings, devices
-- with their asset tree (parent_id) and supply graph (device_feeds), people
-- with roles, skills and areas, shifts, the roster and teams. Loaded from
-- config/ by `fmctl apply` (the only writer); daemons only read it.
-- Ids are the configuration's ids: [A-Za-z0-9_-]{1,64}, because device and
-- person ids are MQTT topic levels and broker usernames. Optional text that
-- the configuration leaves out is NULL, never ''.
-- Foreign keys between registry tables are deferred so that apply may write
-- the tables in any order inside its one transaction.

CREATE TABLE sites (
	site_id    text        PRIMARY KEY CHECK (site_id ~ '^[A-Za-z0-9_-]{1,64}$'),
	name       text        NOT NULL,
	timezone   text        NOT NULL,	-- IANA name; local times of shifts are in it
	address    text,
	updated_at timestamptz NOT NULL DEFAULT now()
);

-- Area and building ids are unique across all sites.
CREATE TABLE areas (
	area_id    text        PRIMARY KEY CHECK (area_id ~ '^[A-Za-z0-9_-]{1,64}$'),
	site_id    text        NOT NULL REFERENCES sites (site_id) DEFERRABLE INITIALLY DEFERRED,
	name       text        NOT NULL,
	updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX areas_site ON areas (site_id);

CREATE TABLE buildings (
	building_id text        PRIMARY KEY CHECK (building_id ~ '^[A-Za-z0-9_-]{1,64}$'),
	site_id     text        NOT NULL REFERENCES sites (site_id) DEFERRABLE INITIALLY DEFERRED,
	area_id     text        REFERENCES areas (area_id) DEFERRABLE INITIALLY DEFERRED,
	name        text        NOT NULL,
	floors      integer     CHECK (floors > 0),
	updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX buildings_site ON buildings (site_id);

-- asset_type is one of the names in common/registry.c (reg_asset_types);
-- area_id is the configured area, or else the building's.
CREATE TABLE devices (
	device_id     text        PRIMARY KEY CHECK (device_id ~ '^[A-Za-z0-9_-]{1,64}$'),
	site_id       text        NOT NULL REFERENCES sites (site_id) DEFERRABLE INITIALLY DEFERRED,
	asset_type    text        NOT NULL,
	parent_id     text        REFERENCES devices (device_id) DEFERRABLE INITIALLY DEFERRED,
	name          text        NOT NULL,
	area_id       text        REFERENCES areas (area_id) DEFERRABLE INITIALLY DEFERRED,
	building_id   text        REFERENCES buildings (building_id) DEFERRABLE INITIALLY DEFERRED,
	location      text,
	-- the ledger (设备台账)
	model         text,
	params        jsonb       NOT NULL DEFAULT '{}',	-- rated values, flat
	purchase_date date,
	warranty_end  date,
	supplier      text,
	manual_ref    text,
	tags          text[]      NOT NULL DEFAULT '{}',
	updated_at    timestamptz NOT NULL DEFAULT now(),
	CHECK (parent_id <> device_id)
);
CREATE INDEX devices_site ON devices (site_id, asset_type);
CREATE INDEX devices_parent ON devices (parent_id) WHERE parent_id IS NOT NULL;

-- The supply graph: to_device stops when from_device fails (a distribution
-- room feeds pumps and elevators; a tank feeds its pumps). Acyclic (checked
-- by fmctl check). alertd uses it to attribute a fed device's alarms to its
-- failed supplier.
CREATE TABLE device_feeds (
	from_device text NOT NULL REFERENCES devices (device_id) ON DELETE CASCADE
		DEFERRABLE INITIALLY DEFERRED,
	to_device   text NOT NULL REFERENCES devices (device_id) ON DELETE CASCADE
		DEFERRABLE INITIALLY DEFERRED,
	PRIMARY KEY (from_device, to_device),
	CHECK (from_device <> to_device)
);
CREATE INDEX device_feeds_to ON device_feeds (to_device);

CREATE TABLE skills (
	skill_id   text        PRIMARY KEY CHECK (skill_id ~ '^[A-Za-z0-9_-]{1,64}$'),
	name       text        NOT NULL,
	updated_at timestamptz NOT NULL DEFAULT now()
);

-- capacity: open work orders a person may hold at once; inactive people keep
-- their record (history refers to them) but get no work.
CREATE TABLE people (
	person_id  text        PRIMARY KEY CHECK (person_id ~ '^[A-Za-z0-9_-]{1,64}$'),
	name       text        NOT NULL,
	phone      text,
	email      text,
	company    text,
	capacity   integer     NOT NULL DEFAULT 5 CHECK (capacity >= 0),
	active     boolean     NOT NULL DEFAULT true,
	updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE person_roles (
	person_id text NOT NULL REFERENCES people (person_id) ON DELETE CASCADE
		DEFERRABLE INITIALLY DEFERRED,
	role      text NOT NULL CHECK (role IN ('duty_engineer', 'technician', 'supervisor',
		'project_manager', 'customer_service', 'security', 'butler', 'contractor')),
	PRIMARY KEY (person_id, role)
);
CREATE INDEX person_roles_role ON person_roles (role);

CREATE TABLE person_skills (
	person_id text NOT NULL REFERENCES people (person_id) ON DELETE CASCADE
		DEFERRABLE INITIALLY DEFERRED,
	skill_id  text NOT NULL REFERENCES skills (skill_id) ON DELETE CASCADE
		DEFERRABLE INITIALLY DEFERRED,
	PRIMARY KEY (person_id, skill_id)
);
CREATE INDEX person_skills_skill ON person_skills (skill_id);

-- Areas (片区) a person is responsible for.
CREATE TABLE person_areas (
	person_id text NOT NULL REFERENCES people (person_id) ON DELETE CASCADE
		DEFERRABLE INITIALLY DEFERRED,
	area_id   text NOT NULL REFERENCES areas (area_id) ON DELETE CASCADE
		DEFERRABLE INITIALLY DEFERRED,
	PRIMARY KEY (person_id, area_id)
);
CREATE INDEX person_areas_area ON person_areas (area_id);

-- Local times of the site; end_local <= start_local means the shift ends the
-- next day (start = end: 24 hours). end_local may be 24:00.
CREATE TABLE shifts (
	shift_id    text        PRIMARY KEY CHECK (shift_id ~ '^[A-Za-z0-9_-]{1,64}$'),
	name        text        NOT NULL,
	start_local time        NOT NULL,
	end_local   time        NOT NULL,
	updated_at  timestamptz NOT NULL DEFAULT now()
);

-- person_id works shift_id on the shift that starts on local date D when
-- ((D - cycle_start) mod cycle_days) is in on_days. Weekly entries are a
-- 7-day cycle starting on a Monday (on_days 0 = Monday); rotations carry their
-- own start and length.
CREATE TABLE roster (
	person_id   text      NOT NULL REFERENCES people (person_id) ON DELETE CASCADE
		DEFERRABLE INITIALLY DEFERRED,
	shift_id    text      NOT NULL REFERENCES shifts (shift_id) ON DELETE CASCADE
		DEFERRABLE INITIALLY DEFERRED,
	cycle_start date      NOT NULL,
	cycle_days  integer   NOT NULL CHECK (cycle_days BETWEEN 1 AND 56),
	on_days     integer[] NOT NULL CHECK (cardinality(on_days) > 0),
	PRIMARY KEY (person_id, shift_id)
);
CREATE INDEX roster_shift ON roster (shift_id);

-- Teams such as the 24-hour emergency team (应急抢修小组).
CREATE TABLE teams (
	team_id    text        PRIMARY KEY CHECK (team_id ~ '^[A-Za-z0-9_-]{1,64}$'),
	name       text        NOT NULL,
	updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE team_members (
	team_id   text NOT NULL REFERENCES teams (team_id) ON DELETE CASCADE
		DEFERRABLE INITIALLY DEFERRED,
	person_id text NOT NULL REFERENCES people (person_id) ON DELETE CASCADE
		DEFERRABLE INITIALLY DEFERRED,
	PRIMARY KEY (team_id, person_id)
);
CREATE INDEX team_members_person ON team_members (person_id);
