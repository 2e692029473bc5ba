// Positions the pipeline with dagre. Loaded only with the graph page: dagre is most of its weight.
import dagre, { type EdgeLabel, type GraphLabel, type NodeLabel } from "@dagrejs/dagre";
import type { Pipeline, PipelineEdge, PipelineNode } from "./pipeline.ts";

export const NODE_HEIGHT = 52;
/** Extra height per module link a node shows (module.* and foreach components). */
export const MODULE_LINK_HEIGHT = 14;
const CHAR_WIDTH = 7.2;
const EDGE_LABEL = { width: 64, height: 18 };
const LARGE_GRAPH_NODES = 300;

export interface PlacedNode extends PipelineNode {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface PlacedEdge extends PipelineEdge {
  points: { x: number; y: number }[];
  labelX: number;
  labelY: number;
}

export interface Layout {
  width: number;
  height: number;
  nodes: PlacedNode[];
  edges: PlacedEdge[];
}

export const nodeWidth = (n: PipelineNode): number =>
  Math.max(150, Math.ceil(Math.max(n.name.length, n.label.length + 2) * CHAR_WIDTH) + 28);

export function layoutPipeline(p: Pipeline): Layout {
  const g = new dagre.graphlib.Graph<GraphLabel, NodeLabel, EdgeLabel>();
  g.setGraph({ rankdir: "LR", nodesep: 24, ranksep: 90, edgesep: 16, marginx: 16, marginy: 16 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of p.nodes) g.setNode(n.id, { width: nodeWidth(n), height: NODE_HEIGHT + MODULE_LINK_HEIGHT * n.moduleIDs.length });
  for (const e of p.edges) g.setEdge(e.from, e.to, { ...EDGE_LABEL, labelpos: "c" });
  // Crossing reduction is dagre's costliest step; past a few hundred nodes the first ordering
  // is kept so that the page stays responsive.
  dagre.layout(g, { disableOptimalOrderHeuristic: p.nodes.length > LARGE_GRAPH_NODES });
  const graph = g.graph();
  const nodes = p.nodes.map((n): PlacedNode => {
    const placed = g.node(n.id);
    return { ...n, x: placed.x ?? 0, y: placed.y ?? 0, width: placed.width, height: placed.height };
  });
  const edges = p.edges.map((e): PlacedEdge => {
    const placed = g.edge(e.from, e.to);
    const points = placed.points ?? [];
    const mid = points[Math.floor(points.length / 2)] ?? { x: 0, y: 0 };
    return { ...e, points, labelX: placed.x ?? mid.x, labelY: placed.y ?? mid.y };
  });
  return { width: graph.width ?? 0, height: graph.height ?? 0, nodes, edges };
}
