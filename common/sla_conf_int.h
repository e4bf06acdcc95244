/* sla_conf_int.h — what the sla_conf*.c files share; everyone else uses
 * sla_conf.h. */
#ifndef FM_SLA_CONF_INT_H
#define FM_SLA_CONF_INT_H

#include "sla_conf.h"

#define SLA_DAY_MS 86400000LL

/* Binds and checks one section into c. node may be NULL where the section is
 * optional. Each returns 0 or -1 with errors added. */
int
sla_parse_clocks(struct sla_conf *c, const struct cfg_node *clocks,
		 const struct cfg_node *overrides, struct cfg_errs *errs);
int
sla_parse_worktime(struct sla_conf *c, const struct cfg_node *node, struct cfg_errs *errs);
int
sla_parse_escalation(struct sla_conf *c, const struct cfg_node *list, const struct reg *reg,
		     struct cfg_errs *errs);

/* Writes a duration as "2h", "15m", "30s" or "250ms" into buf. Returns buf. */
const char *
sla_dur_str(long long ms, char *buf, size_t cap);

#endif
