/** What the JS API controls: whether the panel is open, whether the whole widget is hidden. */
export class WidgetState {
  open = $state(false)
  hidden = $state(false)
}
