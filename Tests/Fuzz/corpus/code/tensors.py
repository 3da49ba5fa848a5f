x = torch.arange(12).view(3, 4).float()
y = x * 2 + 1
print(y.sum(dim=1), y.mean(), y[1:, ::2])
z = torch.zeros(2, 3).expand(4, 2, 3)
print(z.shape, x.T @ x)
