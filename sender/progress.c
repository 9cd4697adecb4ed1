/*
 * NAME
 *	progress 3
 * SUMMARY
 *	a progress bar on a terminal, plain lines otherwise
 * SYNOPSIS
 *	#include "progress.h"
 * DESCRIPTION
 *	See progress.h. The rate shown is messages handled per second
 *	since the start.
 * DIAGNOSTICS
 *	None.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "progress.h"

struct progress {
	FILE   *fp;
	long	total;
	int	tty;
	int	off;
	struct timespec start;
	double	last_draw;
	double	last_line;
	int	last_tenth;
	long	sent, failed, skipped;
};

/* elapsed - seconds since P started */
static double
elapsed(const struct progress *p)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return ((double) (now.tv_sec - p->start.tv_sec) + (now.tv_nsec - p->start.tv_nsec) / 1e9);
}

/* progress_new - a progress display on FP; see progress.h */
struct progress *
progress_new(FILE *fp, long total, enum progress_mode mode)
{
	struct progress *p = calloc(1, sizeof(*p));

	if (p == NULL)
		return (NULL);
	p->fp = fp;
	p->total = total;
	p->off = (mode == PROGRESS_OFF);
	p->tty = (mode == PROGRESS_AUTO && isatty(fileno(fp)));
	p->last_tenth = 0;
	clock_gettime(CLOCK_MONOTONIC, &p->start);
	return (p);
}

/* draw - draw P's state once (FINAL: end the line) */
static void
draw(struct progress *p, int final)
{
	long	done = p->sent + p->failed + p->skipped;
	double	t = elapsed(p);
	double	rate = t > 0 ? (p->sent + p->failed) / t : 0;
	int	pct = p->total > 0 ? (int) (100.0 * done / p->total) : 100;

	if (pct > 100)
		pct = 100;
	if (p->tty) {
		char	bar[PROGRESS_BAR_WIDTH + 1];
		int	i, fill = pct * PROGRESS_BAR_WIDTH / 100;

		for (i = 0; i < PROGRESS_BAR_WIDTH; i++)
			bar[i] = i < fill ? '#' : '.';
		bar[PROGRESS_BAR_WIDTH] = 0;
		fprintf(p->fp, "\r[%s] %3d%% %ld/%ld sent %ld failed %ld skipped %ld %.0f msg/s%s",
			bar, pct, done, p->total, p->sent, p->failed, p->skipped, rate,
			final ? "\n" : "");
	} else
		fprintf(p->fp, "progress: %ld/%ld (%d%%) sent %ld failed %ld skipped %ld, %.0f msg/s\n",
			done, p->total, pct, p->sent, p->failed, p->skipped, rate);
	fflush(p->fp);
}

/* progress_update - new counts; redraw when it is time */
void
progress_update(struct progress *p, long sent, long failed, long skipped)
{
	double	t;
	long	done;
	int	tenth;

	if (p == NULL || p->off)
		return;
	p->sent = sent;
	p->failed = failed;
	p->skipped = skipped;
	t = elapsed(p);
	if (p->tty) {
		if ((t - p->last_draw) * 1000 >= PROGRESS_TICK_MS) {
			p->last_draw = t;
			draw(p, 0);
		}
		return;
	}
	done = sent + failed + skipped;
	tenth = p->total > 0 ? (int) (10 * done / p->total) : 10;
	if (tenth > p->last_tenth || t - p->last_line >= PROGRESS_LINE_SECS) {
		p->last_tenth = tenth;
		p->last_line = t;
		draw(p, 0);
	}
}

/* progress_done - draw the final state and free P */
void
progress_done(struct progress *p)
{
	if (p == NULL)
		return;
	if (!p->off && p->tty)
		draw(p, 1);
	free(p);
}
