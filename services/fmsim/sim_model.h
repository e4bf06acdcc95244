/* sim_model.h — how each simulated asset type behaves: a small state per
 * device and a step function (state, conditions imposed by faults, simulated
 * time of day, elapsed simulated and real time) -> next state and telemetry
 * metrics named as config/rules.yaml expects. Normal behaviour stays well
 * inside the shipped rules, rate-of-change rules included, at any speed.
 * Pure: no I/O, no clock, no allocation; deterministic for a seed. */
#ifndef FMSIM_SIM_MODEL_H
#define FMSIM_SIM_MODEL_H

#include <stdint.h>

enum sim_kind {
	SIM_K_HEARTBEAT, /* cctv, access_control, intercom, fire_panel: {"online": true} */
	SIM_K_ELEVATOR,
	SIM_K_PUMP_ROOM,
	SIM_K_WATER_PUMP,
	SIM_K_WATER_TANK,
	SIM_K_SUMP,
	SIM_K_SUMP_PUMP,
	SIM_K_DIST_ROOM,
	SIM_K_TRANSFORMER,
	SIM_K_GENERATOR,
	SIM_K_FIRE_PUMP,
	SIM_K_GAS,
	SIM_K_FLOOD,
	SIM_K_LIGHTING,
	SIM_K_EMERGENCY_LIGHTING,
	SIM_K_METER_WATER,
	SIM_K_METER_POWER,
	SIM_K_ENV,
	SIM_K_COUNT
};

/* Conditions that faults impose on a device (sim_fault.h says which fault
 * imposes what). The model knows only conditions, never fault names. */
enum {
	SIM_C_NO_MAINS = 1u << 0,  /* distribution room: the grid supply is gone */
	SIM_C_NO_SUPPLY = 1u << 1, /* its supplier failed: run command on, no power */
	SIM_C_FAILED = 1u << 2,    /* a pump tripped: stopped, pressure collapses */
	SIM_C_STOPPED = 1u << 3,   /* an elevator car stopped between floors */
	SIM_C_FLOOD = 1u << 4,     /* water rising: flood depth, sump level */
	SIM_C_DRAIN = 1u << 5,     /* a tank losing water */
	SIM_C_GAS = 1u << 6,       /* gas escaping */
	SIM_C_STUCK = 1u << 7,     /* the first metric repeats its value */
};

/* How fast a fault's effect builds up and fades, in real seconds whatever
 * the speed, so that a demo shows it promptly. */
#define SIM_FAULT_TAU_S 4.0

#define SIM_METRICS_MAX 8

struct sim_metric {
	const char *name; /* static string */
	double value;     /* finite */
	int is_bool;
};

struct sim_out {
	int n;
	struct sim_metric m[SIM_METRICS_MAX];
};

/* What a model needs to know of its device, from the registry. */
struct sim_dev_info {
	int rank;           /* water_pump: 0 lead, 1 lag (joins at peaks), 2+ standby */
	int stops;          /* elevator: floors served (>= 2) */
	uint64_t cycle_key; /* sump and its lift pump share it: the same cycle */
};

struct sim_dev {
	enum sim_kind kind;
	struct sim_dev_info info;
	uint64_t rng;
	double scale;   /* per-device variation, 0.9..1.1 */
	double phase_s; /* offset of a sump's cycle */
	double mix;     /* 0 normal .. 1 the imposed condition's full effect */
	double run_hours, total, temp_c;
	long long starts, trips, door_cycles;
	int running, motor_on;
	int shown_run; /* pumps: the run signal and current last reported */
	double shown_a;
	/* elevator: the car serves floors 1..stops */
	int floor, target, lift_phase;
	double phase_left_s;
	int stuck;
	double stuck_value;
};

/* The model of an asset type name from devices.yaml, or -1 when none. */
int
sim_model_kind(const char *asset_type);

/* A fresh device at simulated time sim_t_s (seconds since a local
 * midnight). info is copied; stops below 2 become 10. */
void
sim_model_init(struct sim_dev *s, enum sim_kind kind, const struct sim_dev_info *info,
	       uint64_t seed, double sim_t_s);

/* Advances s to simulated time sim_t_s, sim_dt_s after the previous step,
 * which real_dt_s of real time separate (so sim_dt_s / real_dt_s is the
 * speed), under the conditions cond (SIM_C_*), and writes the telemetry
 * metrics to out. Meters with an abnormal-use rate rule never rise faster
 * than a third of the rule's shipped threshold per real hour. */
void
sim_model_step(struct sim_dev *s, unsigned cond, double sim_t_s, double sim_dt_s, double real_dt_s,
	       struct sim_out *out);

/* Water and power demand of the community at a local hour 0..24: 0.12 at
 * night, about 1 at the morning (~08:00) and evening (~19:30) peaks. */
double
sim_demand(double hour);

/* The local hour 0..24 of a simulated time (seconds since a midnight). */
double
sim_hour(double sim_t_s);

/* The floor an elevator car is at or passing (1..stops). */
int
sim_model_floor(const struct sim_dev *s);

/* The value of metric name in out, or -1 when absent (tests, events). */
int
sim_out_find(const struct sim_out *out, const char *name, double *value);

#endif
