/* nginx.c - the stand-in for critest's nginx images (a test fixture): PID 1
 * of the container reads as "nginx: master process" in /proc/1/cmdline (it
 * re-executes itself under that argv[0]) and writes /var/run/nginx.pid, as
 * the specs look for; its child is busybox httpd serving
 * /usr/share/nginx/html on PORT (default 80).
 *   nginx [PORT] */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	const char *port = argc > 1 ? argv[1] : "80";
	char title[] = "nginx: master process nginx -g daemon off;";
	FILE *f;
	pid_t child;
	int status;

	if (strncmp(argv[0], "nginx: ", 7) != 0) {
		char *args[] = {title, (char *)port, NULL};

		execv("/proc/self/exe", args);
		perror("nginx: re-exec");
		return 127;
	}
	child = fork();
	if (child == 0) {
		execl("/bin/busybox", "httpd", "-f", "-p", port, "-h", "/usr/share/nginx/html",
		      (char *)NULL);
		perror("nginx: exec httpd");
		_exit(127);
	}
	f = fopen("/var/run/nginx.pid", "w");
	if (f) {
		fprintf(f, "%d\n", (int)getpid());
		fclose(f);
	}
	signal(SIGTERM, SIG_DFL);
	while (waitpid(child, &status, 0) < 0)
		;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
