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

#endif /* VMXLAB_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
