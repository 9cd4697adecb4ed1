/*
 * NAME
 *	client 3h
 * SUMMARY
 *	who the client is, behind the company's reverse proxy
 * SYNOPSIS
 *	#include "client.h"
 *
 *	void	client_address(const char *peer, const char *xff,
 *			const struct conf *c, char *out, size_t outlen);
 * DESCRIPTION
 *	links-web sits behind an HTTPS reverse proxy, so the peer of every
 *	connection is the proxy. When PEER (the connection's address, as
 *	text) is one of web_trusted_proxies, the client is the rightmost
 *	address of X-Forwarded-For (XFF, may be NULL) that is not a trusted
 *	proxy itself: each proxy appends the address it received the
 *	request from, and only the part added by proxies we trust can be
 *	believed. Otherwise, or when XFF holds no such valid address, the
 *	client is PEER. Addresses are compared in their canonical form
 *	(inet_pton, inet_ntop), so "::1" and "0:0::1" are the same. OUT
 *	gets the client's address, canonical, as text (at least
 *	CLIENT_ADDR_MAX bytes). The address is used for the rate limit and,
 *	keyed-hashed, as evidence; it is never stored or logged in clear.
 * DIAGNOSTICS
 *	None: anything unusable falls back to PEER.
 */
#ifndef LINKS_CLIENT_H
#define LINKS_CLIENT_H

#include <stddef.h>

#include "conf.h"

#define CLIENT_ADDR_MAX		64	/* INET6_ADDRSTRLEN and some */
#define CLIENT_XFF_MAX		32	/* X-Forwarded-For entries looked at */

void	client_address(const char *peer, const char *xff, const struct conf *c, char *out,
		       size_t outlen);

#endif
