/**
 * How a person is written to a table row. Every optional field is always written (empty string
 * for "none", HR flags as one JSON property), so a Merge that clears a leave date really clears
 * it — Azure Tables cannot store an absent value.
 */
import { type Employee, type FactSource, type PayStepDecision } from '../../core/model';

/** The columns a person occupies in the employees and team tables. */
export interface PersonColumns {
  name: string;
  email: string;
  positionNumber: string;
  managerId: string;
  department: string;
  staffGroup: string;
  startDate: string;
  leaveDate: string;
  payStepDate: string;
  /**
   * JSON of the HR flags (capabilityProcess, disciplinaryLive, mandatoryTrainingComplete,
   * supervisionFrequencyWeeks, outOfScope), of where facts came from (leaveDateSource,
   * managerSource, inDirectory, supervisionFrequencySource) and the pay-step decisions recorded in
   * Teams (a handful per person: one a year).
   */
  hr: string;
}

interface HrFlags {
  capabilityProcess?: boolean;
  disciplinaryLive?: boolean;
  mandatoryTrainingComplete?: boolean;
  supervisionFrequencyWeeks?: number;
  supervisionFrequencySource?: 'hr' | 'record';
  payStepDecisions?: PayStepDecision[];
  outOfScope?: boolean;
  leaveDateSource?: FactSource;
  managerSource?: FactSource;
  inDirectory?: boolean;
}

/** A person's columns. */
export function personColumns(e: Employee): PersonColumns {
  const hr: HrFlags = {};
  if (e.capabilityProcess !== undefined) hr.capabilityProcess = e.capabilityProcess;
  if (e.disciplinaryLive !== undefined) hr.disciplinaryLive = e.disciplinaryLive;
  if (e.mandatoryTrainingComplete !== undefined) hr.mandatoryTrainingComplete = e.mandatoryTrainingComplete;
  if (e.supervisionFrequencyWeeks !== undefined) hr.supervisionFrequencyWeeks = e.supervisionFrequencyWeeks;
  if (e.supervisionFrequencySource === 'record') hr.supervisionFrequencySource = 'record';
  if (e.payStepDecisions !== undefined && e.payStepDecisions.length > 0)
    hr.payStepDecisions = [...e.payStepDecisions];
  if (e.outOfScope !== undefined) hr.outOfScope = e.outOfScope;
  if (e.leaveDateSource !== undefined && e.leaveDate !== undefined) hr.leaveDateSource = e.leaveDateSource;
  if (e.managerSource !== undefined && e.managerId !== undefined) hr.managerSource = e.managerSource;
  if (e.inDirectory) hr.inDirectory = true;
  return {
    name: e.name,
    email: e.email,
    positionNumber: e.positionNumber,
    managerId: e.managerId ?? '',
    department: e.department,
    staffGroup: e.staffGroup,
    startDate: e.startDate,
    leaveDate: e.leaveDate ?? '',
    payStepDate: e.payStepDate ?? '',
    hr: JSON.stringify(hr),
  };
}

/** Reads a person back from their columns. */
export function personFromColumns(id: string, row: Partial<PersonColumns>): Employee {
  const hr = JSON.parse(row.hr || '{}') as HrFlags;
  const text = (value: string | undefined) => (value === undefined || value === '' ? undefined : value);
  return {
    id,
    name: row.name ?? '',
    email: row.email ?? '',
    positionNumber: row.positionNumber ?? '',
    managerId: text(row.managerId),
    department: row.department ?? '',
    staffGroup: row.staffGroup ?? '',
    startDate: row.startDate ?? '',
    leaveDate: text(row.leaveDate),
    payStepDate: text(row.payStepDate),
    capabilityProcess: hr.capabilityProcess,
    disciplinaryLive: hr.disciplinaryLive,
    mandatoryTrainingComplete: hr.mandatoryTrainingComplete,
    supervisionFrequencyWeeks: hr.supervisionFrequencyWeeks,
    // Present only when recorded, so people stored before these existed read back as they were.
    ...(hr.supervisionFrequencySource !== undefined
      ? { supervisionFrequencySource: hr.supervisionFrequencySource }
      : {}),
    ...(hr.payStepDecisions !== undefined ? { payStepDecisions: hr.payStepDecisions } : {}),
    ...(hr.outOfScope !== undefined ? { outOfScope: hr.outOfScope } : {}),
    ...(hr.leaveDateSource !== undefined ? { leaveDateSource: hr.leaveDateSource } : {}),
    ...(hr.managerSource !== undefined ? { managerSource: hr.managerSource } : {}),
    ...(hr.inDirectory !== undefined ? { inDirectory: hr.inDirectory } : {}),
  };
}

/** True when two people have the same directory and HR fields. */
export function samePerson(a: Employee, b: Employee): boolean {
  const x = personColumns(a);
  const y = personColumns(b);
  return (Object.keys(x) as (keyof PersonColumns)[]).every((k) => x[k] === y[k]);
}
