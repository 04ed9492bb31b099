/**
 * Ports: what the domain needs from the outside world, implemented in bot/ on Azure Tables,
 * Microsoft Graph and the system clock, and by fakes in tests (DESIGN.md §5 "Ports and adapters").
 */
import { type Employee, type EmployeeId, type IsoDate } from './model';

/** Reads the organisation directory (HR import merged with Graph). */
export interface DirectoryReader {
  /** One person by Entra object id, or undefined if unknown. */
  getEmployee(id: EmployeeId): Promise<Employee | undefined>;
  /** A manager's direct reports, leavers included (callers filter by status). */
  listDirectReports(managerId: EmployeeId): Promise<Employee[]>;
}

/** Today's date in Europe/London and the current instant; injected so rules and tests agree on "now". */
export interface Clock {
  now(): Date;
  today(): IsoDate;
}
