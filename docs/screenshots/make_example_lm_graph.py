import json, random
random.seed(4)
tokens = ["<bos>", "The", " capital", " of", " Texas", " is"]
nodes, links = [], []
for t, tok in enumerate(tokens):
    nodes.append({"node_id": f"E_{100+t}_{t}", "feature": 100 + t, "layer": "E", "ctx_idx": t, "feature_type": "embedding", "token_prob": 0.0, "is_target_logit": False, "run_idx": 0, "reverse_ctx_idx": 0, "jsNodeId": f"E_{100+t}-{t}", "clerp": f"Emb: \"{tok}\"", "influence": None, "activation": None})
names = ["Texas", "capital city", "state", "say a capital", "US places", "Austin", "geography", "copula"]
for l in range(8):
    for t in range(len(tokens)):
        for f in range(random.choice([0, 1, 2, 3])):
            fid = 1000 * l + 37 * f + t
            kind = "mlp reconstruction error" if random.random() < 0.1 else "cross layer transcoder"
            nodes.append({"node_id": f"{l}_{fid}_{t}", "feature": fid, "layer": str(l), "ctx_idx": t, "feature_type": kind, "token_prob": 0.0, "is_target_logit": False, "run_idx": 0, "reverse_ctx_idx": 0, "jsNodeId": f"{l}_{fid}-{t}", "clerp": random.choice(names) if kind != "mlp reconstruction error" else f"Err: mlp \"{tokens[t]}\"", "influence": random.random(), "activation": random.random() * 20})
for k, word in enumerate([" Austin", " Dallas"]):
    nodes.append({"node_id": f"9_{500+k}_5", "feature": 500 + k, "layer": "9", "ctx_idx": 5, "feature_type": "logit", "token_prob": [0.82, 0.06][k], "is_target_logit": k == 0, "run_idx": 0, "reverse_ctx_idx": 0, "jsNodeId": f"L_{500+k}-5", "clerp": f"Output \"{word}\" (p={[0.82, 0.06][k]})", "influence": None, "activation": None})
layer = lambda n: -1 if n["layer"] == "E" else int(n["layer"])
for target in nodes:
    for source in nodes:
        if layer(source) < layer(target) and source["ctx_idx"] <= target["ctx_idx"] and random.random() < 0.25:
            links.append({"source": source["node_id"], "target": target["node_id"], "weight": random.gauss(0.3, 1.0)})
json.dump({"metadata": {"slug": "capital-texas", "scan": "example-lm", "prompt_tokens": tokens, "prompt": "The capital of Texas is"}, "qParams": {"pinnedIds": [], "supernodes": [], "linkType": "both", "clickedId": "", "sg_pos": ""}, "nodes": nodes, "links": links}, open("/tmp/lm_graph.json", "w"))
print(len(nodes), len(links))
