/* sim_model.c — the behaviour of the simulated plant: water (pump room,
 * booster pumps, tanks, sump and lift pump), power (distribution room,
 * transformer, generator, meters), fire, gas, flooding, lighting, the
 * environment and heartbeat-only heads. Demand follows the day: pressure
 * dips and loads rise at the morning and evening peaks. Every level is chosen
 * against config/rules.yaml: normal values stay inside the thresholds with
 * their hysteresis, and quantities watched by rate rules change slowly enough
 * in real time at any speed (test_fmsim_model checks both). Pure. */
#include "sim_model_int.h"

#include <math.h>
#include <string.h>

#define SUBSTEP_S 30.0       /* the longest simulated step integrated at once */
#define MAX_SUBSTEPS 100000  /* bounds a step after a long pause */
#define SUMP_PERIOD_S 7200.0 /* fill and pump-down of the sump */
#define SUMP_PUMP_FRAC 0.1   /* the share of the cycle the lift pump runs */
/* Abnormal-use rules watch meters over an hour of the readings' own (real)
 * timestamps: 10 m3 and 200 kWh per hour in the shipped rules. */
#define WATER_CAP_M3_PER_REAL_H 3.0
#define POWER_CAP_KWH_PER_REAL_H 60.0

static const char *const kind_types[][5] = {
	[SIM_K_HEARTBEAT] = {"cctv", "access_control", "intercom", "fire_panel", NULL},
	[SIM_K_ELEVATOR] = {"elevator", NULL},
	[SIM_K_PUMP_ROOM] = {"pump_room", NULL},
	[SIM_K_WATER_PUMP] = {"water_pump", NULL},
	[SIM_K_WATER_TANK] = {"water_tank", NULL},
	[SIM_K_SUMP] = {"sump", NULL},
	[SIM_K_SUMP_PUMP] = {"sump_pump", NULL},
	[SIM_K_DIST_ROOM] = {"distribution_room", NULL},
	[SIM_K_TRANSFORMER] = {"transformer", NULL},
	[SIM_K_GENERATOR] = {"generator", NULL},
	[SIM_K_FIRE_PUMP] = {"fire_pump", NULL},
	[SIM_K_GAS] = {"gas_detector", NULL},
	[SIM_K_FLOOD] = {"flood_sensor", NULL},
	[SIM_K_LIGHTING] = {"lighting", NULL},
	[SIM_K_EMERGENCY_LIGHTING] = {"emergency_lighting", NULL},
	[SIM_K_METER_WATER] = {"meter_water", NULL},
	[SIM_K_METER_POWER] = {"meter_power", NULL},
	[SIM_K_ENV] = {"env_sensor", NULL},
};

int
sim_model_kind(const char *asset_type)
{
	for (int k = 0; k < SIM_K_COUNT; k++)
		for (int i = 0; kind_types[k][i]; i++)
			if (strcmp(kind_types[k][i], asset_type) == 0)
				return k;
	return -1;
}

/* splitmix64: tiny, and good enough for believable noise. */
static uint64_t
next_u64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

double
sim_rnd(struct sim_dev *s)
{
	return (double)(next_u64(&s->rng) >> 11) * (1.0 / 9007199254740992.0);
}

double
sim_noise(struct sim_dev *s, double a)
{
	return (sim_rnd(s) * 2 - 1) * a;
}

double
sim_hour(double sim_t_s)
{
	double h = fmod(sim_t_s, 86400.0) / 3600.0;

	return h < 0 ? h + 24 : h;
}

void
sim_put(struct sim_out *out, const char *name, double value, int is_bool)
{
	if (out->n >= SIM_METRICS_MAX)
		return;
	out->m[out->n++] = (struct sim_metric){
		name, is_bool ? (value != 0) : round(value * 100) / 100, is_bool};
}

int
sim_out_find(const struct sim_out *out, const char *name, double *value)
{
	for (int i = 0; i < out->n; i++)
		if (strcmp(out->m[i].name, name) == 0) {
			*value = out->m[i].value;
			return 0;
		}
	return -1;
}

static double
bump(double h, double center, double width)
{
	double d = fabs(h - center);

	if (d > 12)
		d = 24 - d;
	return exp(-0.5 * (d / width) * (d / width));
}

double
sim_demand(double hour)
{
	double d = 0.12 + 0.88 * bump(hour, 8.0, 0.8) + 0.4 * bump(hour, 12.5, 1.5) +
		   0.88 * bump(hour, 19.5, 1.1);

	return d > 1 ? 1 : d;
}

static double
lerp(double a, double b, double t)
{
	return a + (b - a) * t;
}

/* Booster-set outlet pressure: ~335 kPa at night, ~260 kPa at the peaks
 * (supply_pressure_low raises below 150). */
static double
header_kpa(double hour)
{
	return 335 - 75 * sim_demand(hour);
}

/* Position of a sump in its cycle, 0..1; the lift pump runs past
 * 1 - SUMP_PUMP_FRAC. */
static double
sump_pos(const struct sim_dev *s, double sim_t_s)
{
	double x = fmod(sim_t_s + s->phase_s, SUMP_PERIOD_S) / SUMP_PERIOD_S;

	return x < 0 ? x + 1 : x;
}

static double
transformer_target_c(const struct sim_dev *s, double hour, unsigned cond)
{
	double load = cond & SIM_C_NO_SUPPLY ? 0 : (20 + 55 * sim_demand(hour)) * s->scale;

	return 30 + 0.45 * load;
}

/* A pump's run command: the lead pump always, the lag pump at the peaks
 * (with hysteresis, so it starts twice a day), standby pumps never. */
static int
pump_command(const struct sim_dev *s, double sim_t_s)
{
	double d = sim_demand(sim_hour(sim_t_s));

	if (s->kind == SIM_K_SUMP_PUMP)
		return sump_pos(s, sim_t_s) >= 1 - SUMP_PUMP_FRAC;
	if (s->info.rank == 0)
		return 1;
	if (s->info.rank == 1)
		return s->running ? d > 0.5 : d > 0.6;
	return 0;
}

void
sim_model_init(struct sim_dev *s, enum sim_kind kind, const struct sim_dev_info *info,
	       uint64_t seed, double sim_t_s)
{
	uint64_t key = info->cycle_key;

	memset(s, 0, sizeof *s);
	s->kind = kind;
	s->info = *info;
	if (s->info.stops < 2)
		s->info.stops = 10;
	s->rng = seed;
	next_u64(&s->rng);
	s->scale = 0.9 + 0.2 * sim_rnd(s);
	s->phase_s = (double)(next_u64(&key) % (uint64_t)SUMP_PERIOD_S);
	s->run_hours = 800 + floor(sim_rnd(s) * 600);
	s->starts = 300 + (long long)(sim_rnd(s) * 300);
	s->temp_c = transformer_target_c(s, sim_hour(sim_t_s), 0);
	if (kind == SIM_K_METER_WATER)
		s->total = 20000 + floor(sim_rnd(s) * 5000);
	else if (kind == SIM_K_METER_POWER)
		s->total = 900000 + floor(sim_rnd(s) * 200000);
	else if (kind == SIM_K_GENERATOR)
		s->run_hours = 100 + floor(sim_rnd(s) * 50);
	if (kind == SIM_K_ELEVATOR)
		sim_lift_init(s, sim_t_s);
	if (kind == SIM_K_WATER_PUMP || kind == SIM_K_SUMP_PUMP)
		s->motor_on = s->running = pump_command(s, sim_t_s);
}

static double
capped(double per_sim_h, double dt_s, double real_dt_s, double cap_per_real_h)
{
	double v = per_sim_h * dt_s / 3600, cap = cap_per_real_h * real_dt_s / 3600;

	return v < cap ? v : cap;
}

static void
integrate(struct sim_dev *s, unsigned cond, double sim_t_s, double dt_s, double real_dt_s)
{
	double d = sim_demand(sim_hour(sim_t_s));
	int on;

	switch (s->kind) {
	case SIM_K_WATER_PUMP:
	case SIM_K_SUMP_PUMP:
		s->running = pump_command(s, sim_t_s);
		on = s->running && !(cond & (SIM_C_FAILED | SIM_C_NO_SUPPLY));
		s->starts += on && !s->motor_on;
		s->motor_on = on;
		s->run_hours += on ? dt_s / 3600 : 0;
		break;
	case SIM_K_TRANSFORMER:
		s->temp_c += (transformer_target_c(s, sim_hour(sim_t_s), cond) - s->temp_c) *
			     (1 - exp(-dt_s / 1200));
		break;
	case SIM_K_METER_WATER:
		s->total += capped((0.4 + 2.4 * d) * s->scale, dt_s, real_dt_s,
				   WATER_CAP_M3_PER_REAL_H);
		break;
	case SIM_K_METER_POWER:
		if (!(cond & SIM_C_NO_SUPPLY))
			s->total += capped((20 + 30 * d) * s->scale, dt_s, real_dt_s,
					   POWER_CAP_KWH_PER_REAL_H);
		break;
	case SIM_K_ELEVATOR:
		sim_lift_step(s, cond, sim_t_s, dt_s);
		break;
	default:
		break;
	}
}

/* Current before the run signal, and on the reading where the run signal
 * drops the current still shows its last value (the drive ramps down):
 * alertd applies a message's metrics one by one, and pump_no_current (while:
 * running) would otherwise see "running, no current" for an instant at every
 * stop. A pump without supply keeps its run command with no current: that
 * is the rule's case. */
static void
pump_signals(struct sim_dev *s, unsigned cond, double on_a, struct sim_out *out)
{
	int run = s->running && !(cond & SIM_C_FAILED);
	double a = s->motor_on ? on_a : !run && s->shown_run ? s->shown_a : 0;

	sim_put(out, "motor_current_a", a, 0);
	sim_put(out, "running", run, 1);
	s->shown_run = run;
	s->shown_a = a;
}

static void
report_water(struct sim_dev *s, unsigned cond, double h, double t, struct sim_out *out)
{
	double d = sim_demand(h), x;

	switch (s->kind) {
	case SIM_K_PUMP_ROOM:
		sim_put(out, "supply_pressure_kpa", header_kpa(h) + sim_noise(s, 2), 0);
		sim_put(out, "temperature_c", 18 + 3 * d + sim_noise(s, 0.2), 0);
		break;
	case SIM_K_WATER_PUMP:
		x = lerp(header_kpa(h) + sim_noise(s, 2), 30, s->mix);
		sim_put(out, "outlet_pressure_kpa", x, 0);
		pump_signals(s, cond, (9 + 9 * d) * s->scale + sim_noise(s, 0.3), out);
		sim_put(out, "run_hours", s->run_hours, 0);
		sim_put(out, "starts", (double)s->starts, 0);
		break;
	case SIM_K_SUMP_PUMP:
		pump_signals(s, cond, 6.5 + sim_noise(s, 0.2), out);
		sim_put(out, "run_hours", s->run_hours, 0);
		sim_put(out, "starts", (double)s->starts, 0);
		break;
	case SIM_K_WATER_TANK:
		/* drawn down a little at the peaks, refilled at night: the swing
		 * stays far from tank_level_falling_fast (15 % in 10 min) */
		x = 70 - 6 * (d - 0.12) / 0.88 + 3 * (s->scale - 1) + sim_noise(s, 0.15);
		sim_put(out, "level_pct", lerp(x, 14, s->mix), 0);
		sim_put(out, "chlorine_mg_l", 0.4 + sim_noise(s, 0.05), 0);
		break;
	case SIM_K_SUMP:
		x = sump_pos(s, t);
		x = x < 1 - SUMP_PUMP_FRAC ? 25 + 30 * x / (1 - SUMP_PUMP_FRAC)
					   : 55 - 30 * (x - (1 - SUMP_PUMP_FRAC)) / SUMP_PUMP_FRAC;
		sim_put(out, "level_pct", lerp(x, 92, s->mix), 0);
		break;
	case SIM_K_FIRE_PUMP:
		sim_put(out, "outlet_pressure_kpa", lerp(620 + sim_noise(s, 4), 450, s->mix), 0);
		sim_put(out, "running", 0, 1);
		break;
	default:
		break;
	}
}

static void
report_power(struct sim_dev *s, unsigned cond, double h, struct sim_out *out)
{
	double d = sim_demand(h);
	int mains = !(cond & SIM_C_NO_MAINS);

	switch (s->kind) {
	case SIM_K_DIST_ROOM:
		sim_put(out, "load_a", mains ? (250 + 700 * d) * s->scale + sim_noise(s, 8) : 0, 0);
		sim_put(out, "mains_present", mains, 1);
		for (int p = 0; p < 3; p++)
			sim_put(out,
				p == 0   ? "voltage_a_v"
				: p == 1 ? "voltage_b_v"
					 : "voltage_c_v",
				mains ? 231 - 4 * d + sim_noise(s, 1.5) : 0, 0);
		sim_put(out, "temperature_c", 25 + 5 * d + sim_noise(s, 0.3), 0);
		break;
	case SIM_K_TRANSFORMER:
		sim_put(out, "winding_temp_c", s->temp_c + sim_noise(s, 0.3), 0);
		sim_put(out, "load_pct",
			cond & SIM_C_NO_SUPPLY ? 0 : (20 + 55 * d) * s->scale + sim_noise(s, 1), 0);
		break;
	case SIM_K_GENERATOR:
		sim_put(out, "fuel_pct", 72 + 40 * (s->scale - 1), 0);
		sim_put(out, "running", 0, 1);
		sim_put(out, "battery_v", 13.2 + sim_noise(s, 0.05), 0);
		sim_put(out, "run_hours", s->run_hours, 0);
		break;
	case SIM_K_METER_WATER:
		sim_put(out, "total_m3", s->total, 0);
		break;
	case SIM_K_METER_POWER:
		sim_put(out, "total_kwh", s->total, 0);
		break;
	default:
		break;
	}
}

static void
report_other(struct sim_dev *s, double h, struct sim_out *out)
{
	double d = sim_demand(h), x;

	switch (s->kind) {
	case SIM_K_GAS:
		x = 0.4 + sim_noise(s, 0.3);
		sim_put(out, "gas_lel_pct", lerp(x, 32, s->mix), 0);
		break;
	case SIM_K_FLOOD:
		sim_put(out, "water_depth_cm", lerp(sim_rnd(s) * 0.2, 12, s->mix), 0);
		break;
	case SIM_K_LIGHTING:
		sim_put(out, "circuit_on", h < 6 || h >= 18.5, 1);
		sim_put(out, "lamp_faults", 0, 0);
		break;
	case SIM_K_EMERGENCY_LIGHTING:
		sim_put(out, "lamp_faults", 0, 0);
		break;
	case SIM_K_ENV:
		sim_put(out, "pm25_ug_m3",
			35 + 25 * bump(h, 8, 2) + 20 * bump(h, 20, 2.5) + sim_noise(s, 3), 0);
		sim_put(out, "noise_db", 40 + 10 * d + 4 * (h >= 7 && h < 22) + sim_noise(s, 1.5),
			0);
		break;
	default:
		sim_put(out, "online", 1, 1);
		break;
	}
}

void
sim_model_step(struct sim_dev *s, unsigned cond, double sim_t_s, double sim_dt_s, double real_dt_s,
	       struct sim_out *out)
{
	unsigned bad = SIM_C_NO_SUPPLY | SIM_C_FAILED | SIM_C_FLOOD | SIM_C_DRAIN | SIM_C_GAS;
	double h = sim_hour(sim_t_s);
	int n;

	if (sim_dt_s < 0)
		sim_dt_s = 0;
	if (real_dt_s < 0)
		real_dt_s = 0;
	s->mix += ((cond & bad) ? 1 - s->mix : -s->mix) * (1 - exp(-real_dt_s / SIM_FAULT_TAU_S));
	n = (int)ceil(sim_dt_s / SUBSTEP_S);
	n = n < 1 ? 1 : n > MAX_SUBSTEPS ? MAX_SUBSTEPS : n;
	for (int i = 1; i <= n; i++)
		integrate(s, cond, sim_t_s - sim_dt_s + sim_dt_s * i / n, sim_dt_s / n,
			  real_dt_s / n);
	out->n = 0;
	if (s->kind == SIM_K_ELEVATOR)
		sim_lift_report(s, cond, out);
	report_water(s, cond, h, sim_t_s, out);
	report_power(s, cond, h, out);
	if (out->n == 0)
		report_other(s, h, out);
	if (!(cond & SIM_C_STUCK)) {
		s->stuck = 0;
	} else if (!s->stuck) {
		s->stuck = 1;
		s->stuck_value = out->m[0].value;
	} else {
		out->m[0].value = s->stuck_value;
	}
}
