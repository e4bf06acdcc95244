/* sim_model_int.h — what the model files share: the random stream, the
 * output helper and the per-kind integrators and reporters. Not for users of
 * sim_model.h. */
#ifndef FMSIM_SIM_MODEL_INT_H
#define FMSIM_SIM_MODEL_INT_H

#include "sim_model.h"

/* A uniform number in [0, 1) from the device's stream. */
double
sim_rnd(struct sim_dev *s);
/* A uniform number in [-a, a]. */
double
sim_noise(struct sim_dev *s, double a);
/* Appends a metric (rounded to 0.01; booleans 0/1). */
void
sim_put(struct sim_out *out, const char *name, double value, int is_bool);

/* Elevators (sim_model_lift.c): one step of at most a substep, and the
 * report. */
void
sim_lift_init(struct sim_dev *s, double sim_t_s);
void
sim_lift_step(struct sim_dev *s, unsigned cond, double sim_t_s, double dt_s);
void
sim_lift_report(struct sim_dev *s, unsigned cond, struct sim_out *out);

#endif
