/*
 * NAME
 *	outbox 3h
 * SUMMARY
 *	system messages queued by the milter: links-sender outbox
 * SYNOPSIS
 *	#include "outbox.h"
 *
 *	int	outbox_run(const struct conf *conf, const struct delivery_cli *cli);
 * DESCRIPTION
 *	outbox_run() delivers the messages the store's outbox holds (the
 *	opt-out confirmations that store_optout() queues, template
 *	optout_confirm, category account) through the delivery engine,
 *	with the same guarantees as a campaign: each row is marked
 *	"sending" before the transport sees it, a row found "sending" is
 *	sent again with its own Message-ID and counted as a possible
 *	duplicate, 4xx answers are retried. A row whose customer is gone,
 *	whose address is undeliverable or whose template is unknown is
 *	marked failed with the reason. One process at a time (lock.h);
 *	the systemd timer runs it every minute.
 * DIAGNOSTICS
 *	EX_OK; EX_TEMPFAIL when messages are left for a later run (the
 *	server is down, another process holds the lock); EX_CONFIG for a
 *	missing template or a transport that cannot be opened.
 */
#ifndef LINKS_OUTBOX_H
#define LINKS_OUTBOX_H

#include "conf.h"
#include "delivery.h"

#define OUTBOX_TEMPLATE		"optout_confirm"
#define OUTBOX_DUP_COUNTER	"sender.outbox.possible_duplicates"

int	outbox_run(const struct conf *conf, const struct delivery_cli *cli);

#endif
