/* mqtt_nodelay.c — TCP_NODELAY on the client's broker connection. Paho MQTT C
 * leaves Nagle's algorithm on and offers no hook to reach its socket, so a
 * second small publish in a row (an alarm's retained state, then its
 * alarm-log entry) waits for the broker's delayed ACK: ~40 ms on Linux per
 * hop, measured in make bench. After each connect the process's TCP sockets
 * whose peer is the broker's port get TCP_NODELAY; another connection to the
 * same broker getting it too does no harm. */
#include "mqtt_int.h"

#include <dirent.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* The port of tcp://host:port (or ssl://, mqtt://, [v6]:port); 0 if none. */
static int
url_port(const char *url)
{
	const char *colon = strrchr(url, ':'), *bracket = strrchr(url, ']');
	char *end;
	long p;

	if (!colon || (bracket && colon < bracket) || colon[1] == '/')
		return 0;
	p = strtol(colon + 1, &end, 10);
	return (*end == '\0' || *end == '/') && p > 0 && p < 65536 ? (int)p : 0;
}

static int
peer_port(int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof ss;

	if (getpeername(fd, (struct sockaddr *)&ss, &len) < 0)
		return 0;
	if (ss.ss_family == AF_INET)
		return ntohs(((struct sockaddr_in *)&ss)->sin_port);
	if (ss.ss_family == AF_INET6)
		return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
	return 0;
}

static void
tune(int fd, int port)
{
	int type = 0, one = 1;
	socklen_t len = sizeof type;

	if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) == 0 && type == SOCK_STREAM &&
	    peer_port(fd) == port)
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

void
mq_set_nodelay(const char *url)
{
	int port = url_port(url);
	DIR *d;
	struct dirent *e;

	if (port == 0)
		return;
	d = opendir("/proc/self/fd");
	if (!d) { /* no /proc: the low descriptors, where sockets usually are */
		for (int fd = 0; fd < 1024; fd++)
			tune(fd, port);
		return;
	}
	while ((e = readdir(d)) != NULL)
		if (e->d_name[0] >= '0' && e->d_name[0] <= '9')
			tune(atoi(e->d_name), port);
	closedir(d);
}
