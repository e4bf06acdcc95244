/* sim_fault.h — the faults fmsim community can inject, by name: which asset
 * types each applies to, what it imposes on the device's model (sim_model.h
 * conditions) and on the devices it supplies, which event it publishes when
 * injected (active) and cleared, and whether the device goes offline. The
 * community applies what this table says; the table knows no devices.
 * Pure: no I/O, no state. */
#ifndef FMSIM_SIM_FAULT_H
#define FMSIM_SIM_FAULT_H

#include "sim_model.h"

#include <stddef.h>

enum sim_fault_id {
	SIM_F_ENTRAPMENT,
	SIM_F_PUMP_FAIL,
	SIM_F_PUMP_ROOM_FLOOD,
	SIM_F_MAINS_LOSS,
	SIM_F_TANK_LOW,
	SIM_F_GAS_LEAK,
	SIM_F_FIRE_ALARM,
	SIM_F_DEVICE_OFFLINE,
	SIM_F_SENSOR_STUCK,
	SIM_F_COUNT
};

struct sim_effect {
	unsigned cond;     /* SIM_C_* on the device itself */
	unsigned dep_cond; /* SIM_C_* on every device it supplies (feeds,
			    * transitively) and on its children in the asset tree */
	const char *event; /* published "active" when injected and "cleared" when
			    * cleared; NULL: none */
	int offline;       /* retained status offline and no telemetry until cleared */
};

/* The fault called name, or -1. */
int
sim_fault_find(const char *name);
/* Its name (f in 0..SIM_F_COUNT-1). */
const char *
sim_fault_name(int f);
/* One line on what it does, for --help and logs. */
const char *
sim_fault_summary(int f);
/* The asset type whose first device is the target when none is named. */
const char *
sim_fault_default_type(int f);

/* The effect of fault f on a device of asset_type into *out. Returns 0, or
 * -1 when the fault does not apply to that type. */
int
sim_fault_effect(int f, const char *asset_type, struct sim_effect *out);

/* The detail object of the fault's event for device s (the floor of a
 * trapped car, the concentration of a leak) as flat JSON into buf: "" when
 * the event has no detail. Returns 0, or -1 when buf is too small. */
int
sim_fault_detail(int f, const struct sim_dev *s, char *buf, size_t cap);

/* Lists the faults, one per line ("  name  summary"), into buf. */
int
sim_fault_list(char *buf, size_t cap);

#endif
