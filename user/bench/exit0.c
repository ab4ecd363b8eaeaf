/*
 * The static glibc program kbench's fork_exec_wait figure execs: it does
 * nothing but glibc's start-up (TLS, auxv, stdio) and exit(0), like any
 * small unmodified static Linux program.
 */
int main(void)
{
	return 0;
}
