/* sim_fault.c — the fault table: one row per (fault, asset type) with the
 * conditions it imposes, the event it publishes and whether the device goes
 * offline. A row with type "*" applies to every type. Events and metrics are
 * those config/rules.yaml watches, so every fault raises its alarm with the
 * shipped rules. Pure. */
#include "sim_fault.h"

#include <stdio.h>
#include <string.h>

struct row {
	int fault;
	const char *type; /* asset type, or "*" */
	struct sim_effect e;
};

static const struct row rows[] = {
	{SIM_F_ENTRAPMENT, "elevator", {SIM_C_STOPPED, 0, "entrapment", 0}},
	{SIM_F_PUMP_FAIL, "water_pump", {SIM_C_FAILED, 0, "fault", 0}},
	{SIM_F_PUMP_FAIL, "sump_pump", {SIM_C_FAILED, 0, "fault", 0}},
	{SIM_F_PUMP_FAIL, "fire_pump", {SIM_C_FAILED, 0, "fault", 0}},
	{SIM_F_PUMP_ROOM_FLOOD, "flood_sensor", {SIM_C_FLOOD, 0, "flood", 0}},
	{SIM_F_PUMP_ROOM_FLOOD, "sump", {SIM_C_FLOOD, 0, "high_level", 0}},
	{SIM_F_MAINS_LOSS, "distribution_room", {SIM_C_NO_MAINS, SIM_C_NO_SUPPLY, NULL, 0}},
	{SIM_F_TANK_LOW, "water_tank", {SIM_C_DRAIN, 0, NULL, 0}},
	{SIM_F_GAS_LEAK, "gas_detector", {SIM_C_GAS, 0, "gas_alarm", 0}},
	{SIM_F_FIRE_ALARM, "fire_panel", {0, 0, "fire_alarm", 0}},
	{SIM_F_DEVICE_OFFLINE, "*", {0, 0, NULL, 1}},
	{SIM_F_SENSOR_STUCK, "*", {SIM_C_STUCK, 0, NULL, 0}},
};

static const struct {
	const char *name, *default_type, *summary;
} faults[SIM_F_COUNT] = {
	[SIM_F_ENTRAPMENT] = {"entrapment", "elevator",
			      "car stops between floors; event entrapment {floor}"},
	[SIM_F_PUMP_FAIL] = {"pump_fail", "water_pump",
			     "pump trips: not running, no current, pressure collapses; event "
			     "fault"},
	[SIM_F_PUMP_ROOM_FLOOD] = {"pump_room_flood", "flood_sensor",
				   "water depth 12 cm and event flood (a sump: level 92 % and "
				   "event high_level)"},
	[SIM_F_MAINS_LOSS] = {"mains_loss", "distribution_room",
			      "mains_present false, no voltage or load; what it feeds loses "
			      "power (pumps: run command on, no current; cars stop)"},
	[SIM_F_TANK_LOW] = {"tank_low", "water_tank", "level falls to 14 %"},
	[SIM_F_GAS_LEAK] = {"gas_leak", "gas_detector", "32 %LEL and event gas_alarm"},
	[SIM_F_FIRE_ALARM] = {"fire_alarm", "fire_panel", "event fire_alarm {zone}"},
	[SIM_F_DEVICE_OFFLINE] = {"device_offline", "cctv",
				  "retained status offline, telemetry stops (any device)"},
	[SIM_F_SENSOR_STUCK] = {"sensor_stuck", "water_tank",
				"the first metric repeats its value (any device)"},
};

int
sim_fault_find(const char *name)
{
	for (int f = 0; f < SIM_F_COUNT; f++)
		if (strcmp(faults[f].name, name) == 0)
			return f;
	return -1;
}

const char *
sim_fault_name(int f)
{
	return f >= 0 && f < SIM_F_COUNT ? faults[f].name : "?";
}

const char *
sim_fault_summary(int f)
{
	return f >= 0 && f < SIM_F_COUNT ? faults[f].summary : "?";
}

const char *
sim_fault_default_type(int f)
{
	return f >= 0 && f < SIM_F_COUNT ? faults[f].default_type : NULL;
}

int
sim_fault_effect(int f, const char *asset_type, struct sim_effect *out)
{
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
		if (rows[i].fault == f &&
		    (strcmp(rows[i].type, "*") == 0 || strcmp(rows[i].type, asset_type) == 0)) {
			*out = rows[i].e;
			return 0;
		}
	return -1;
}

int
sim_fault_detail(int f, const struct sim_dev *s, char *buf, size_t cap)
{
	int n = 0;

	switch (f) {
	case SIM_F_ENTRAPMENT:
		n = snprintf(buf, cap, "{\"floor\":%d,\"passengers\":2}", sim_model_floor(s));
		break;
	case SIM_F_FIRE_ALARM:
		n = snprintf(buf, cap, "{\"zone\":\"Z01\",\"detector\":\"smoke\"}");
		break;
	case SIM_F_GAS_LEAK:
		n = snprintf(buf, cap, "{\"lel_pct\":32}");
		break;
	default:
		n = cap ? snprintf(buf, cap, "%s", "") : 0;
		break;
	}
	return n < 0 || (size_t)n >= cap ? -1 : 0;
}

int
sim_fault_list(char *buf, size_t cap)
{
	size_t at = 0;

	for (int f = 0; f < SIM_F_COUNT; f++) {
		int n = snprintf(buf + at, cap - at, "  %-16s %s\n", faults[f].name,
				 faults[f].summary);

		if (n < 0 || (size_t)n >= cap - at)
			return -1;
		at += (size_t)n;
	}
	return 0;
}
