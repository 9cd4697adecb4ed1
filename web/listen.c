/*
 * NAME
 *	listen 3
 * SUMMARY
 *	the listening socket of links-web (web_listen)
 * SYNOPSIS
 *	#include "listen.h"
 * DESCRIPTION
 *	See listen.h.
 * DIAGNOSTICS
 *	See listen.h.
 */
#include "config.h"

#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "listen.h"

#define PORT_MAX	65535

/* listen_parse - check HOST:PORT and resolve it */
int
listen_parse(const char *spec, struct sockaddr_storage *ss, socklen_t *len, char *err,
	     size_t errlen)
{
	char	host[LISTEN_SPEC_MAX], *end;
	const char *colon, *h = spec;
	size_t	hlen;
	long	port;
	struct addrinfo hints, *res = NULL;
	int	rc;

	if (spec == NULL || strlen(spec) >= sizeof(host) || (colon = strrchr(spec, ':')) == NULL) {
		snprintf(err, errlen, "web_listen: need HOST:PORT, e.g. 127.0.0.1:8025");
		return (-1);
	}
	hlen = (size_t) (colon - spec);
	if (hlen >= 2 && spec[0] == '[' && spec[hlen - 1] == ']') {
		h = spec + 1;
		hlen -= 2;
	}
	if (hlen == 0) {
		snprintf(err, errlen, "web_listen: no host before the port (use 0.0.0.0 for every "
			 "address, but see links-web(8): it belongs behind a proxy)");
		return (-1);
	}
	memcpy(host, h, hlen);
	host[hlen] = 0;
	errno = 0;
	port = strtol(colon + 1, &end, 10);
	if (colon[1] == 0 || *end != 0 || errno != 0 || port < 1 || port > PORT_MAX) {
		snprintf(err, errlen, "web_listen: %s: the port must be a number from 1 to %d",
			 spec, PORT_MAX);
		return (-1);
	}
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	if ((rc = getaddrinfo(host, colon + 1, &hints, &res)) != 0 || res == NULL) {
		snprintf(err, errlen, "web_listen: %s: %s", spec, gai_strerror(rc));
		return (-1);
	}
	memcpy(ss, res->ai_addr, res->ai_addrlen);
	*len = res->ai_addrlen;
	freeaddrinfo(res);
	return (0);
}

/* listen_open - a listening TCP socket on SPEC */
int
listen_open(const char *spec, char *err, size_t errlen)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int	fd, on = 1;

	if (listen_parse(spec, &ss, &len, err, errlen) < 0)
		return (-1);
	if ((fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0) {
		snprintf(err, errlen, "web_listen: socket: %s", strerror(errno));
		return (-1);
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
	if (ss.ss_family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof(on));
	if (bind(fd, (struct sockaddr *) &ss, len) != 0 || listen(fd, LISTEN_BACKLOG) != 0) {
		snprintf(err, errlen, "web_listen: cannot listen on %s: %s", spec, strerror(errno));
		close(fd);
		return (-1);
	}
	return (fd);
}
