/* SPDX-License-Identifier: MIT */
/*
 * A name server that never answers: binds UDP and TCP on 127.0.0.1 (one
 * port for both), prints the port, takes TCP connections and says nothing,
 * and exits after the given number of seconds.
 *   blackhole SECONDS
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_CONNS 64

int main(int argc, char **argv)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(a);
	int udp = -1, tcp = -1, conns[MAX_CONNS], n_conns = 0;
	long seconds = argc == 2 ? strtol(argv[1], NULL, 10) : 0;

	if (seconds <= 0 || seconds > 3600) {
		fprintf(stderr, "usage: blackhole SECONDS (1..3600)\n");
		return 2;
	}
	for (int attempt = 0; attempt < 20 && tcp < 0; attempt++) {
		a.sin_port = 0;
		udp = socket(AF_INET, SOCK_DGRAM, 0);
		if (udp < 0 || bind(udp, (struct sockaddr *)&a, sizeof(a)) < 0 ||
		    getsockname(udp, (struct sockaddr *)&a, &len) < 0)
			return 1;
		tcp = socket(AF_INET, SOCK_STREAM, 0);
		if (tcp >= 0 &&
		    (bind(tcp, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(tcp, 16) < 0)) {
			close(tcp);
			close(udp);
			tcp = -1;
		}
	}
	if (tcp < 0)
		return 1;
	printf("%d\n", ntohs(a.sin_port));
	fflush(stdout);
	time_t end = time(NULL) + seconds;
	while (time(NULL) < end) {
		struct pollfd p[2] = { { udp, POLLIN, 0 }, { tcp, POLLIN, 0 } };
		if (poll(p, 2, 200) <= 0)
			continue;
		if (p[0].revents) {
			char buf[4096];
			if (recv(udp, buf, sizeof(buf), 0) < 0)
				break; /* read and dropped */
		}
		if (p[1].revents) {
			int c = accept(tcp, NULL, NULL);
			if (c >= 0 && n_conns < MAX_CONNS)
				conns[n_conns++] = c; /* held open, never answered */
			else if (c >= 0)
				close(c);
		}
	}
	for (int i = 0; i < n_conns; i++)
		close(conns[i]);
	return 0;
}
