/** The customer side of RTM (customer-rtm §4, §5): every action of API v3.6, by area. */
import { checkCustomerDelete, checkCustomerWrite } from '../../domain/properties'
import type { SideProtocol } from '../actionTable'
import type { CustomerSession, Session } from '../connection'
import { propertyActions } from '../propertyActions'
import { chatActions } from './chats'
import { chatThread, ownChat, visibleEvent, type CustomerActionTable } from './common'
import { customerActions } from './customer'
import { eventActions } from './events'
import { greetingActions } from './greetings'
import { groupActions } from './groups'
import { login } from './login'
import { otherActions } from './other'

const properties: CustomerActionTable = propertyActions<CustomerSession>({
  side: 'customer',
  chat: ownChat,
  thread: chatThread,
  event: visibleEvent,
  checkUpdate: (request, values) => checkCustomerWrite(request.ctx, values, values),
  checkDelete: (request, names) => checkCustomerDelete(request.ctx, names),
})

export const customerProtocol: SideProtocol<CustomerSession> = {
  side: 'customer',
  login,
  actions: {
    ...chatActions,
    ...eventActions,
    ...properties,
    ...customerActions,
    ...groupActions,
    ...greetingActions,
    ...otherActions,
  },
  isSession: (session: Session | undefined): session is CustomerSession => session?.kind === 'customer',
}
