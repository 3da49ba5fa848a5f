import itertools, collections, math, json, random
c = collections.Counter('abracadabra')
print(c.most_common(2), list(itertools.product('ab', repeat=2)), math.comb(5, 2))
print(json.dumps({'a': [1, 2.5, None]}), random.Random(1).random() < 1)
