import torch
import torch.nn as nn
import torch.nn.functional as F
from torchsummary import summary

class MyConvBlock(nn.Module):
    def __init__(self, in_ch, out_ch, dropout_p):
        kernel_size = 3
        super().__init__()
        self.model = nn.Sequential(
            nn.Conv2d(in_ch, out_ch, kernel_size, stride=1, padding=1),
            nn.BatchNorm2d(out_ch),
            nn.ReLU(),
            nn.Dropout(dropout_p),
            nn.MaxPool2d(2, stride=2))

    def forward(self, x):
        return self.model(x)

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.block1 = MyConvBlock(1, 25, 0)
        self.block2 = MyConvBlock(25, 50, 0.2)
        self.flatten = nn.Flatten()
        self.fc = nn.Linear(50 * 7 * 7, 10)
    def forward(self, x):
        x = self.block2(self.block1(x))
        return self.fc(self.flatten(x))

model = Net()
print(model)
summary(model, (1, 28, 28), device="cpu")
