/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Packet sockets (AF_PACKET) for checkpoint/restart: what
 * net/packet/af_packet.c tells kernel/cr/packet.c of a socket, whose
 * struct packet_sock is private to net/packet.
 */
#ifndef _LINUX_CR_PACKET_H
#define _LINUX_CR_PACKET_H

#include <linux/types.h>

struct sk_buff;
struct sock;

/**
 * struct packet_cr_ring - a ring of a packet socket, as its
 *	PACKET_RX_RING or PACKET_TX_RING request made it
 * @block_size: tp_block_size
 * @block_nr:	tp_block_nr; 0 for no ring
 * @frame_size:	tp_frame_size
 * @frame_nr:	tp_frame_nr
 * @retire_blk_tov: TPACKET_V3 receive ring: tp_retire_blk_tov
 * @sizeof_priv: TPACKET_V3 receive ring: tp_sizeof_priv
 * @feature_req_word: TPACKET_V3 receive ring: tp_feature_req_word
 * @busy:	frames or blocks of it hold packets (a receive ring's not
 *		given back to the kernel, a send ring's not sent)
 */
struct packet_cr_ring {
	unsigned int block_size;
	unsigned int block_nr;
	unsigned int frame_size;
	unsigned int frame_nr;
	unsigned int retire_blk_tov;
	unsigned int sizeof_priv;
	unsigned int feature_req_word;
	bool busy;
};

/**
 * struct packet_cr - a packet socket, for checkpoint/restart
 * @num:	its protocol (network byte order), 0 for none
 * @ifindex:	the device it is bound to, 0 for all, -1 for one gone
 * @version:	PACKET_VERSION
 * @reserve:	PACKET_RESERVE
 * @tstamp:	PACKET_TIMESTAMP
 * @copy_thresh: PACKET_COPY_THRESH
 * @vnet_hdr_sz: PACKET_VNET_HDR_SZ
 * @auxdata:	PACKET_AUXDATA
 * @origdev:	PACKET_ORIGDEV
 * @loss:	PACKET_LOSS
 * @qdisc_bypass: PACKET_QDISC_BYPASS
 * @tx_has_off:	PACKET_TX_HAS_OFF
 * @ignore_outgoing: PACKET_IGNORE_OUTGOING
 * @fanout:	PACKET_FANOUT: id | type << 16 | flags << 24; 0 for none
 * @fanout_max:	the group's largest number of members
 * @rollover:	rollover statistics (PACKET_ROLLOVER_STATS) are not zero
 * @mapped:	its rings are mapped (mmap())
 * @rx:		its receive ring
 * @tx:		its send ring
 * @packets:	PACKET_STATISTICS: packets received...
 * @drops:	...dropped...
 * @freeze_q_cnt: ...and, for TPACKET_V3, times the queue froze
 */
struct packet_cr {
	__be16 num;
	int ifindex;
	int version;
	unsigned int reserve;
	unsigned int tstamp;
	int copy_thresh;
	unsigned int vnet_hdr_sz;
	bool auxdata;
	bool origdev;
	bool loss;
	bool qdisc_bypass;
	bool tx_has_off;
	bool ignore_outgoing;
	bool rollover;
	bool mapped;
	u32 fanout;
	u32 fanout_max;
	struct packet_cr_ring rx;
	struct packet_cr_ring tx;
	u32 packets;
	u32 drops;
	u32 freeze_q_cnt;
};

/**
 * struct packet_cr_mc - a membership (PACKET_ADD_MEMBERSHIP) of a packet socket
 * @ifindex:	its device
 * @type:	PACKET_MR_*
 * @alen:	the address length, at most 32...
 * @addr:	...of this address
 * @count:	how many times it was added
 */
struct packet_cr_mc {
	int ifindex;
	unsigned short type;
	unsigned short alen;
	unsigned char addr[32];
	int count;
};

/**
 * struct packet_cr_skb - where a packet queued on a packet socket came from
 * @origlen:	its length on the wire (PACKET_AUXDATA tp_len)
 * @ifindex:	the device it came in on (sll_ifindex)
 * @hatype:	sll_hatype
 * @pkttype:	sll_pkttype
 * @halen:	sll_halen, at most 8...
 * @addr:	...of sll_addr
 * @device:	for SOCK_PACKET, spkt_device (the rest is not used)
 * @family:	for SOCK_PACKET, spkt_family (the device's type)
 */
struct packet_cr_skb {
	unsigned int origlen;
	int ifindex;
	unsigned short hatype;
	unsigned char pkttype;
	unsigned char halen;
	unsigned char addr[8];
	char device[14];
	unsigned short family;
};

int packet_cr_read(struct sock *sk, struct packet_cr *pc);
int packet_cr_mclist(struct sock *sk, struct packet_cr_mc *mc, int max);
void packet_cr_skb_read(struct sock *sk, const struct sk_buff *skb, struct packet_cr_skb *ps);
void packet_cr_queue(struct sock *sk, struct sk_buff *skb, const struct packet_cr_skb *ps);
void packet_cr_set_stats(struct sock *sk, u32 packets, u32 drops, u32 freeze_q_cnt);

#endif /* _LINUX_CR_PACKET_H */
