/*
 * NAME
 *	listen 3h
 * SUMMARY
 *	the listening socket of links-web (web_listen)
 * SYNOPSIS
 *	#include "listen.h"
 *
 *	int	listen_parse(const char *spec, struct sockaddr_storage *ss,
 *			socklen_t *len, char *err, size_t errlen);
 *	int	listen_open(const char *spec, char *err, size_t errlen);
 * DESCRIPTION
 *	SPEC is "HOST:PORT": an IPv4 address, an IPv6 address in brackets
 *	("[::1]:8025") or a host name that resolves, and a port from 1 to
 *	65535. listen_parse() checks it and fills SS and LEN.
 *	listen_open() makes a TCP socket bound to it (SO_REUSEADDR,
 *	close-on-exec, IPV6_V6ONLY for an IPv6 address), listening with a
 *	backlog of LISTEN_BACKLOG, and returns its descriptor, which the
 *	caller owns. links-web opens it before it gives up root, so a port
 *	below 1024 works too.
 * DIAGNOSTICS
 *	Both return -1 with a message in ERR.
 */
#ifndef LINKS_LISTEN_H
#define LINKS_LISTEN_H

#include <stddef.h>
#include <sys/socket.h>

#define LISTEN_BACKLOG		256
#define LISTEN_SPEC_MAX		300

int	listen_parse(const char *spec, struct sockaddr_storage *ss, socklen_t *len,
		     char *err, size_t errlen);
int	listen_open(const char *spec, char *err, size_t errlen);

#endif
