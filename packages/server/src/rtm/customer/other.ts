/** `get_url_info` (asynchronous: the request stays pending while the page is fetched). */
import { getUrlInfo } from '../../domain/urlInfo'
import { customerSchemas as s } from '../schemas'
import { action, type CustomerActionTable } from './common'

export const otherActions: CustomerActionTable = {
  get_url_info: action(s.get_url_info, (request, payload) => getUrlInfo(request.ctx.options.urlInfoAllowedHosts, payload.url)),
}
