/** People of a small NHS trust for tests under the Career Conversations preset. */
import { type Employee } from '../../core/model';

/**
 * A registered nurse in post since April 2019 with the HR flags the pay-step checks read (no
 * capability process, no live disciplinary, training complete); `extra` changes any of it.
 */
export function nhsPerson(
  id: string,
  name: string,
  managerId: string | undefined,
  extra: Partial<Employee> = {},
): Employee {
  return {
    id,
    name,
    email: `${name.toLowerCase().replace(/ /g, '.')}@trust.example`,
    positionNumber: `P${id.slice(-4)}`,
    managerId,
    department: 'Community Nursing',
    staffGroup: 'Nursing and Midwifery Registered',
    startDate: '2019-04-01',
    capabilityProcess: false,
    disciplinaryLive: false,
    mandatoryTrainingComplete: true,
    ...extra,
  };
}
