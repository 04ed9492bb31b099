/**
 * The directory on Azure Tables: employee rows and the reports-to index, read through the
 * {@link DirectoryReader} port. Each read is one point query or one partition.
 */
import { type TableClient, type TableEntityResult, odata } from '@azure/data-tables';
import { type DirectoryReader } from '../../core/ports';
import { type Employee, type EmployeeId } from '../../core/model';
import { statusOf, withoutUndefined } from './entities';
import { type Tables } from './tables';

/** Row key of the single row each person has in the employees table. */
export const PROFILE_ROW = 'profile';

type EmployeeEntity = {
  partitionKey: string;
  rowKey: string;
  name: string;
  email: string;
  positionNumber: string;
  managerId?: string;
  department: string;
  staffGroup: string;
  startDate: string;
  leaveDate?: string;
  payStepDate?: string;
  capabilityProcess?: boolean;
  disciplinaryLive?: boolean;
  mandatoryTrainingComplete?: boolean;
  supervisionFrequencyWeeks?: number;
};

/** Maps a person to their employees-table row. */
export function employeeToEntity(e: Employee): EmployeeEntity {
  return withoutUndefined({
    partitionKey: e.id,
    rowKey: PROFILE_ROW,
    name: e.name,
    email: e.email,
    positionNumber: e.positionNumber,
    managerId: e.managerId,
    department: e.department,
    staffGroup: e.staffGroup,
    startDate: e.startDate,
    leaveDate: e.leaveDate,
    payStepDate: e.payStepDate,
    capabilityProcess: e.capabilityProcess,
    disciplinaryLive: e.disciplinaryLive,
    mandatoryTrainingComplete: e.mandatoryTrainingComplete,
    supervisionFrequencyWeeks: e.supervisionFrequencyWeeks,
  });
}

/** Maps an employees-table row (or a reports-to row, which carries the same fields) back to a person. */
export function entityToEmployee(
  row: TableEntityResult<EmployeeEntity>,
  id: EmployeeId = row.partitionKey,
): Employee {
  return {
    id,
    name: row.name,
    email: row.email,
    positionNumber: row.positionNumber,
    managerId: row.managerId,
    department: row.department,
    staffGroup: row.staffGroup,
    startDate: row.startDate,
    leaveDate: row.leaveDate,
    payStepDate: row.payStepDate,
    capabilityProcess: row.capabilityProcess,
    disciplinaryLive: row.disciplinaryLive,
    mandatoryTrainingComplete: row.mandatoryTrainingComplete,
    supervisionFrequencyWeeks: row.supervisionFrequencyWeeks,
  };
}

/**
 * Reports-to rows copy the report's fields, so "my team" is one partition read with no
 * per-report look-ups (DESIGN.md §5: bounded partitions per request).
 */
export function reportsToEntity(e: Employee & { managerId: EmployeeId }): EmployeeEntity {
  return { ...employeeToEntity(e), partitionKey: e.managerId, rowKey: e.id };
}

/** The directory read from Azure Tables. */
export class TableDirectory implements DirectoryReader {
  private readonly employees: TableClient;
  private readonly reportsTo: TableClient;

  constructor(tables: Pick<Tables, 'employees' | 'reportsTo'>) {
    this.employees = tables.employees;
    this.reportsTo = tables.reportsTo;
  }

  async getEmployee(id: EmployeeId): Promise<Employee | undefined> {
    try {
      return entityToEmployee(await this.employees.getEntity<EmployeeEntity>(id, PROFILE_ROW));
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
  }

  async listDirectReports(managerId: EmployeeId): Promise<Employee[]> {
    const reports: Employee[] = [];
    const rows = this.reportsTo.listEntities<EmployeeEntity>({
      queryOptions: { filter: odata`PartitionKey eq ${managerId}` },
    });
    for await (const row of rows) reports.push(entityToEmployee(row, row.rowKey));
    return reports;
  }
}
