/* apparmor.c - process.apparmorProfile, as runc applies it: "exec NAME"
 * written to the process's own attr/apparmor/exec just before the
 * privileges drop, so its execve lands in the profile. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "apparmor.h"
#include "log.h"
#include "procfs.h"
#include "util.h"

#define AA_FS "/sys/kernel/security/apparmor"

bool apparmor_enabled(void)
{
	char buf[4] = "";
	FILE *f = fopen("/sys/module/apparmor/parameters/enabled", "re");

	if (!f)
		return false;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = '\0';
	fclose(f);
	return buf[0] == 'Y' && access(AA_FS, F_OK) == 0;
}

/* /sys/kernel/security/apparmor/profiles: one "NAME (MODE)" line each. */
static bool loaded(const char *profile)
{
	cleanup_free char *text = NULL;
	struct rt_error ignored;
	size_t n = strlen(profile);

	if (read_file(AA_FS "/profiles", &text, NULL, &ignored) < 0)
		return false;
	for (const char *line = text; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL)
		if (strncmp(line, profile, n) == 0 && strncmp(line + n, " (", 2) == 0)
			return true;
	return false;
}

int apparmor_check(const struct spec_process *p, const char *field, bool *ret_apply,
		   struct rt_error *err)
{
	static bool warned;
	const char *profile = p ? p->apparmor_profile : NULL;

	*ret_apply = false;
	if (!profile || !*profile)
		return 0;
	if (!apparmor_enabled()) {
		if (!warned)
			log_warn("%s \"%s\" is ignored: AppArmor is not enabled on this host", field,
				 profile);
		warned = true;
		return 0;
	}
	if (strchr(profile, '\n'))
		return rt_fail(err, EINVAL, "%s: \"%s\" is not a profile name", field, profile);
	/* "unconfined" is no profile but a state, and always there */
	if (strcmp(profile, "unconfined") != 0 && !loaded(profile))
		return rt_fail(err, ENOENT,
			       "%s: AppArmor profile \"%s\" is not loaded (apparmor_parser -r "
			       "it first)",
			       field, profile);
	*ret_apply = true;
	return 0;
}

int apparmor_open_exec_attr(int procfd, int *ret_fd, struct rt_error *err)
{
	/* attr/apparmor/ is AppArmor's own (5.8+, where LSMs stack); the
	 * shared attr/exec before that */
	if (procfs_open_at(procfd, "thread-self/attr/apparmor/exec", O_WRONLY, ret_fd, err) == 0)
		return 0;
	return procfs_open_at(procfd, "thread-self/attr/exec", O_WRONLY, ret_fd, err);
}

int apparmor_apply(int fd, const char *profile, struct rt_error *err)
{
	char buf[4096];
	int n = snprintf(buf, sizeof(buf), "exec %s", profile), r = 0;

	if (n < 0 || (size_t)n >= sizeof(buf))
		r = rt_fail(err, ENAMETOOLONG, "process.apparmorProfile: the name is too long");
	else if (write(fd, buf, (size_t)n) != n)
		r = rt_fail_errno(err, errno, "process.apparmorProfile: apply \"%s\"", profile);
	close(fd);
	return r;
}
