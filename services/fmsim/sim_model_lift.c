/* sim_model_lift.c — a simulated elevator car: it waits with its doors shut
 * (briefly at the morning and evening peaks, long at night), travels between
 * floors, opens its doors on arrival. Counts trips and door cycles. A car
 * that is stopped (entrapment) or without power stays where it is, doors
 * shut, until the condition ends. Pure, like sim_model.c. */
#include "sim_model_int.h"

#include <math.h>

enum { LIFT_IDLE, LIFT_MOVING, LIFT_DOORS };

#define LIFT_START_S 3.0   /* acceleration and levelling of a trip */
#define LIFT_FLOOR_S 2.5   /* per floor travelled */
#define LIFT_DOORS_S 8.0   /* doors open at a landing */
#define LIFT_IDLE_MIN_S 20 /* the shortest wait between trips (peak hours) */
#define LIFT_IDLE_SPAN_S 420

static double
trip_s(const struct sim_dev *s)
{
	return LIFT_START_S + LIFT_FLOOR_S * fabs((double)(s->target - s->floor));
}

static double
idle_s(struct sim_dev *s, double sim_t_s)
{
	double mean = LIFT_IDLE_MIN_S + LIFT_IDLE_SPAN_S * (1.0 - sim_demand(sim_hour(sim_t_s)));

	return -mean * log(1.0 - sim_rnd(s) * 0.999);
}

/* Most trips begin or end at the ground floor, as in a residential block. */
static int
next_target(struct sim_dev *s)
{
	int stops = s->info.stops, t;

	if (s->floor != 1 && sim_rnd(s) < 0.7)
		return 1;
	t = 2 + (int)(sim_rnd(s) * (stops - 1)) % (stops - 1);
	return t == s->floor ? 1 : t;
}

void
sim_lift_init(struct sim_dev *s, double sim_t_s)
{
	s->floor = 1 + (int)(sim_rnd(s) * s->info.stops) % s->info.stops;
	s->target = s->floor;
	s->lift_phase = LIFT_IDLE;
	s->phase_left_s = idle_s(s, sim_t_s);
	s->trips = 20000 + (long long)(sim_rnd(s) * 20000);
	s->door_cycles = s->trips + (long long)(sim_rnd(s) * 500);
}

void
sim_lift_step(struct sim_dev *s, unsigned cond, double sim_t_s, double dt_s)
{
	double t = sim_t_s - dt_s;

	if (cond & (SIM_C_STOPPED | SIM_C_NO_SUPPLY))
		return; /* frozen where it is */
	while (dt_s > 0) {
		double used = dt_s < s->phase_left_s ? dt_s : s->phase_left_s;

		dt_s -= used;
		t += used;
		s->phase_left_s -= used;
		if (s->phase_left_s > 0)
			break;
		switch (s->lift_phase) {
		case LIFT_IDLE:
			s->target = next_target(s);
			s->lift_phase = LIFT_MOVING;
			s->phase_left_s = trip_s(s);
			s->trips++;
			break;
		case LIFT_MOVING:
			s->floor = s->target;
			s->lift_phase = LIFT_DOORS;
			s->phase_left_s = LIFT_DOORS_S;
			s->door_cycles++;
			break;
		default:
			s->lift_phase = LIFT_IDLE;
			s->phase_left_s = idle_s(s, t);
			break;
		}
	}
}

int
sim_model_floor(const struct sim_dev *s)
{
	double total, frac;

	if (s->kind != SIM_K_ELEVATOR)
		return 0;
	if (s->lift_phase != LIFT_MOVING)
		return s->floor;
	total = trip_s(s);
	frac = (total - s->phase_left_s - LIFT_START_S / 2) / (total - LIFT_START_S);
	frac = frac < 0 ? 0 : frac > 1 ? 1 : frac;
	return s->floor + (int)lround(frac * (s->target - s->floor));
}

void
sim_lift_report(struct sim_dev *s, unsigned cond, struct sim_out *out)
{
	int frozen = (cond & (SIM_C_STOPPED | SIM_C_NO_SUPPLY)) != 0;

	sim_put(out, "car_floor", sim_model_floor(s), 0);
	sim_put(out, "running", !frozen && s->lift_phase == LIFT_MOVING, 1);
	sim_put(out, "door_open", !frozen && s->lift_phase == LIFT_DOORS, 1);
	/* 31: safety circuit open, what a controller shows with a car stuck */
	sim_put(out, "fault_code", (cond & SIM_C_STOPPED) ? 31 : 0, 0);
	sim_put(out, "trips", (double)s->trips, 0);
	sim_put(out, "door_cycles", (double)s->door_cycles, 0);
}
