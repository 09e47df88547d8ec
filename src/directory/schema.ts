import { z } from 'zod';

const id = z.string().regex(/^[a-z0-9][a-z0-9-]{1,63}$/, 'ids are lower-case letters, digits and dashes');

/** One way to reach someone. Secrets (SMTP passwords, robot secrets) may be given as `env:NAME` references. */
export const contactSchema = z.discriminatedUnion('channel', [
  z.object({ channel: z.literal('email'), address: z.email() }),
  z.object({ channel: z.literal('wecom'), webhookUrl: z.url() }),
  z.object({ channel: z.literal('dingtalk'), webhookUrl: z.url(), secret: z.string().min(1).optional() }),
  z.object({ channel: z.literal('webhook'), url: z.url(), secret: z.string().min(1).optional() }),
]);
export type Contact = z.infer<typeof contactSchema>;

const party = { id, name: z.string().min(1), contacts: z.array(contactSchema).default([]) };

export const leaderSchema = z.object({ ...party, title: z.string().min(1) });
export const agencySchema = z.object({
  ...party,
  /** The county leader in charge (分管县领导) of this agency. */
  leaderId: id,
  /** The agency's principal head (主要负责人), who must appear in court. */
  principalHead: z.string().min(1),
});

export const directorySchema = z
  .object({
    county: z.object({
      name: z.string().min(1),
      /** Residents of the jurisdiction, for 万人成讼率. */
      population: z.number().int().positive(),
      /** The city's average suits per 10,000 residents, the benchmark of 万人成讼率. */
      cityAverageLitigationRate: z.number().nonnegative(),
    }),
    bureau: z.object(party),
    court: z.object(party),
    /** 县政府主要领导: interviews agencies that ignore a work reminder letter. */
    principalLeader: leaderSchema,
    /** The county government itself, as recipient of loss-report summaries. */
    countyGovernment: z.object(party),
    leaders: z.array(leaderSchema).min(1),
    agencies: z.array(agencySchema).min(1),
  })
  .superRefine((d, ctx) => {
    const leaderIds = new Set<string>();
    d.leaders.forEach((l, i) => {
      if (leaderIds.has(l.id))
        ctx.addIssue({ code: 'custom', path: ['leaders', i, 'id'], message: `duplicate leader id ${l.id}` });
      leaderIds.add(l.id);
    });
    const agencyIds = new Set<string>();
    d.agencies.forEach((a, i) => {
      if (agencyIds.has(a.id))
        ctx.addIssue({ code: 'custom', path: ['agencies', i, 'id'], message: `duplicate agency id ${a.id}` });
      agencyIds.add(a.id);
      if (!leaderIds.has(a.leaderId)) {
        ctx.addIssue({ code: 'custom', path: ['agencies', i, 'leaderId'], message: `unknown leader ${a.leaderId}` });
      }
    });
  });

export type Directory = z.infer<typeof directorySchema>;
export type Agency = z.infer<typeof agencySchema>;
export type Leader = z.infer<typeof leaderSchema>;
