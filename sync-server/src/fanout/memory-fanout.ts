import type { Fanout, FanoutMessage } from '../rooms/hooks.ts';

type Listener = (message: FanoutMessage) => void;

/**
 * An in-process stand-in for Redis pub/sub: each `node()` is one relay's Fanout, and messages reach
 * the other nodes asynchronously and in order, as over a network. Used to test cross-node behaviour
 * without processes.
 */
export class MemoryFanoutBus {
  private readonly nodes = new Set<MemoryFanoutNode>();

  node(): Fanout {
    const node = new MemoryFanoutNode(this);
    this.nodes.add(node);
    return node;
  }

  deliver(from: MemoryFanoutNode, room: string, message: FanoutMessage): void {
    for (const node of this.nodes) if (node !== from) node.receive(room, message);
  }

  remove(node: MemoryFanoutNode): void {
    this.nodes.delete(node);
  }
}

class MemoryFanoutNode implements Fanout {
  private readonly listeners = new Map<string, Listener>();

  constructor(private readonly bus: MemoryFanoutBus) {}

  async subscribe(room: string, listener: Listener): Promise<void> {
    this.listeners.set(room, listener);
  }

  async unsubscribe(room: string): Promise<void> {
    this.listeners.delete(room);
  }

  publish(room: string, message: FanoutMessage): void {
    this.bus.deliver(this, room, message);
  }

  receive(room: string, message: FanoutMessage): void {
    queueMicrotask(() => this.listeners.get(room)?.(message));
  }

  async close(): Promise<void> {
    this.listeners.clear();
    this.bus.remove(this);
  }
}
