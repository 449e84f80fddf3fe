/* SPDX-License-Identifier: Apache-2.0 */
/* Progress callbacks (see progress.h). */
#include "progress.h"

void rl_progress_step(const rl_progress_t *p, rl_progress_step_t step, const char *what)
{
    if (p && p->step) p->step(p->arg, step, what);
}
