# tqdm around iterables and by hand: what it yields and counts (the bar goes to stderr, not compared).
from tqdm import tqdm, trange
import tqdm as tqdm_module
from tqdm.auto import tqdm as auto_tqdm

total = 0
for x in tqdm(range(5), desc="sum"):
    total += x
print(total)
print(list(tqdm(["a", "b", "c"])), list(trange(3)), list(trange(2, 8, 2, desc="steps")))
print(len(tqdm(range(7))), len(tqdm(total=4)), len(trange(10)))

bar = tqdm(total=10, desc="work", unit="img", leave=False)
bar.update(3)
bar.update()
bar.set_postfix(loss=0.123456, acc=0.5)
bar.set_postfix_str("custom")
bar.set_description("renamed")
print(bar.n, bar.total)
bar.close()

with tqdm(total=4) as b:
    for _ in range(4):
        b.update(1)
    print(b.n)

pairs = [(i, i * i) for i in tqdm_module.tqdm(range(4))]
print(pairs)
print([x for x in auto_tqdm(iter([1, 2, 3]))])
print(sum(1 for _ in tqdm(range(100), disable=True)))
it = tqdm(zip("ab", [1, 2]), total=2)
print(list(it))
tqdm.write("written through tqdm.write")
