# What course code does with NumPy: a softmax, accuracy, a confusion matrix, loss curves, one-hot labels.
import numpy as np
import torch

z = np.array([[1.0, 2.0, 3.0], [1.0, 0.0, -1.0], [0.5, 0.5, 2.0], [3.0, 1.0, 0.0]])
e = np.exp(z - z.max(axis=1, keepdims=True))
p = e / e.sum(axis=1, keepdims=True)
print(np.round(p, 4).tolist())
print(np.allclose(p.sum(axis=1), 1.0), p.argmax(axis=1).tolist(), np.argmax(p, axis=1).dtype)
labels = np.array([2, 0, 1, 0])
pred = p.argmax(axis=1)
acc = (pred == labels).mean()
print(f"accuracy {acc:.2%}", repr(acc), (pred == labels).sum())
cm = np.zeros((3, 3), dtype=int)
for t, q in zip(labels, pred):
    cm[t, q] += 1
print(cm.tolist(), cm.trace() if hasattr(cm, "trace") else np.sum(cm * np.eye(3, dtype=int)))
losses = []
for step in range(5):
    loss = torch.tensor(1.0 / (step + 1))
    losses.append(loss.item())
print(np.mean(losses), np.array(losses).std().round(4), np.min(losses), np.argmin(losses))
onehot = np.eye(3)[labels]
print(onehot.tolist(), onehot.shape)
X = np.arange(12, dtype=np.float32).reshape(4, 3)
mu, sigma = X.mean(axis=0), X.std(axis=0)
Xn = (X - mu) / sigma
print(Xn.dtype, Xn.round(3).tolist(), mu.dtype)
t = torch.from_numpy(Xn)
out = torch.nn.functional.relu(t).numpy()
print(type(out).__name__, out.dtype, out.shape, out.sum())
batch = np.stack([X[i] for i in range(2)])
print(batch.shape, batch.dtype)
hist = np.bincount(labels, minlength=3)
print(hist.tolist(), hist / hist.sum())
idx = np.argsort(-p[:, 2])[:2]
print(idx.tolist(), p[idx, 2].round(3).tolist())
grid = np.zeros((2, 2))
grid[0, :] = [1, 2]
grid[:, 1] += 10
print(grid.tolist(), grid.sum(), np.sum(grid, axis=0).tolist())
print(np.float64(acc) > 0.5, float(np.mean(losses)) < 1, int(np.sum(labels)))
w = np.zeros(3)
for _ in range(3):
    grad = np.array([0.5, -1.0, 0.25])
    w -= 0.1 * grad
print(w.tolist(), w.round(2).tolist())
