import { Component, type ComponentChildren } from 'preact';

/** Keeps one failing feature from taking the whole panel (and NextChat's page) down with it. */
export class FeatureBoundary extends Component<{ title: string; children: ComponentChildren }, { error: string | null }> {
  override state = { error: null as string | null };

  override componentDidCatch(error: unknown) {
    this.setState({ error: error instanceof Error ? error.message : String(error) });
  }

  override render() {
    if (this.state.error) return <p class="error" role="alert">{this.props.title} failed: {this.state.error}</p>;
    return this.props.children;
  }
}
