# net/: the socket layer core (sockets as files, the socket system
# calls, struct sock and datagram queues, message buffers) and the
# address families: AF_NETLINK.
obj-y += net/socket.o net/socket_syscalls.o
obj-y += net/core/sock.o net/core/skbuff.o
obj-y += net/netlink/af_netlink.o
