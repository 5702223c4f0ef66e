/* SPDX-License-Identifier: GPL-2.0 */
/*
 * trace.h - vmxlab's tracepoints: vmxlab:vmxlab_exit after every VM exit
 * and vmxlab:vmxlab_entry before every VM entry, for trace-cmd and perf
 * (e.g. "trace-cmd record -e vmxlab").  Disabled, each costs one patched
 * NOP.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM vmxlab

#if !defined(VMXLAB_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define VMXLAB_TRACE_H

#include <linux/tracepoint.h>

TRACE_EVENT(vmxlab_exit,
	    TP_PROTO(u32 vcpu_id, u32 reason, u64 qualification, u64 rip),
	    TP_ARGS(vcpu_id, reason, qualification, rip),

	    TP_STRUCT__entry(__field(u32, vcpu_id)
			     __field(u32, reason)
			     __field(u64, qualification)
			     __field(u64, rip)),

	    TP_fast_assign(__entry->vcpu_id = vcpu_id;
			   __entry->reason = reason;
			   __entry->qualification = qualification;
			   __entry->rip = rip;),

	    TP_printk("vcpu %u reason %u qualification 0x%llx rip 0x%llx",
		      __entry->vcpu_id, __entry->reason,
		      __entry->qualification, __entry->rip)
);

TRACE_EVENT(vmxlab_entry,
	    TP_PROTO(u32 vcpu_id, bool launch),
	    TP_ARGS(vcpu_id, launch),

	    TP_STRUCT__entry(__field(u32, vcpu_id)
			     __field(bool, launch)),

	    TP_fast_assign(__entry->vcpu_id = vcpu_id;
			   __entry->launch = launch;),

	    TP_printk("vcpu %u %s", __entry->vcpu_id,
		      __entry->launch ? "VMLAUNCH" : "VMRESUME")
);

/*
 * An event injected at the next VM entry: the VM-entry interruption
 * information (SDM 25.8.3) and where it came from (VMXLAB_SRC_*).
 */
TRACE_EVENT(vmxlab_inject,
	    TP_PROTO(u32 vcpu_id, u32 info, u32 source),
	    TP_ARGS(vcpu_id, info, source),

	    TP_STRUCT__entry(__field(u32, vcpu_id)
			     __field(u32, info)
			     __field(u32, source)),

	    TP_fast_assign(__entry->vcpu_id = vcpu_id;
			   __entry->info = info;
			   __entry->source = source;),

	    TP_printk("vcpu %u vector %u type %u source %u",
		      __entry->vcpu_id, __entry->info & 0xff,
		      (__entry->info >> 8) & 7, __entry->source)
);

/*
 * The local APIC at work (lapic.c, events.c): "timer-arm", "timer-fire",
 * "accept" (a vector set in IRR), "ipi", "msi", "eoi-level", "wake".
 */
TRACE_EVENT(vmxlab_apic,
	    TP_PROTO(u32 vcpu_id, const char *what, u32 vector),
	    TP_ARGS(vcpu_id, what, vector),

	    TP_STRUCT__entry(__field(u32, vcpu_id)
			     __string(what, what)
			     __field(u32, vector)),

	    TP_fast_assign(__entry->vcpu_id = vcpu_id;
			   __assign_str(what, what);
			   __entry->vector = vector;),

	    TP_printk("vcpu %d %s vector %u", (int)__entry->vcpu_id,
		      __get_str(what), __entry->vector)
);

#endif /* VMXLAB_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
