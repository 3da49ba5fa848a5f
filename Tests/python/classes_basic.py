# Classes: attributes, methods, inheritance, super(), introspection builtins.


class Animal:
    kingdom = "animalia"
    count = 0

    def __init__(self, name, legs=4):
        self.name = name
        self.legs = legs
        Animal.count += 1

    def speak(self):
        return "..."

    def describe(self):
        return f"{self.name} has {self.legs} legs and says {self.speak()}"


class Dog(Animal):
    def __init__(self, name):
        super().__init__(name)
        self.tricks = []

    def speak(self):
        return "woof"

    def add_trick(self, trick):
        self.tricks.append(trick)
        return self


class Puppy(Dog):
    def __init__(self, name):
        super(Puppy, self).__init__(name)
        self.age = 0

    def speak(self):
        return super().speak() + "!"


class Bird(Animal):
    def __init__(self, name):
        Animal.__init__(self, name, legs=2)


class Counter(object):
    def __init__(self):
        self.n = 0

    def inc(self, by=1):
        self.n += by
        return self.n


d = Dog("rex")
p = Puppy("bit")
b = Bird("tweety")
print(d.describe())
print(p.describe())
print(b.describe())
print(Animal.count, d.count, Dog.count)
print(d.kingdom, Puppy.kingdom)
d.kingdom = "mine"
print(d.kingdom, Animal.kingdom, p.kingdom)
print(d.add_trick("sit").add_trick("roll").tricks)
print(p.tricks, p.age)

c = Counter()
inc = c.inc
print(inc(), inc(), inc(5), c.n)
unbound = Counter.inc
print(unbound(c, 10))

print(type(d).__name__, d.__class__.__name__, type(p).__name__)
print(type(c))
print(Counter)
print(type(c) is Counter, type(p) == Dog)
print(isinstance(p, Dog), isinstance(p, Animal), isinstance(p, object))
print(isinstance(b, Dog), isinstance(b, (Dog, Bird)), isinstance(3, (str, int)))
print(issubclass(Puppy, Animal), issubclass(Bird, Dog), issubclass(Dog, (Bird, Animal)))
print(issubclass(Counter, object), issubclass(bool, int))
print([k.__name__ for k in Puppy.__mro__])
print(Puppy.__bases__[0].__name__, Animal.__name__)

print(hasattr(d, "tricks"), hasattr(b, "tricks"), hasattr(d, "speak"))
print(getattr(d, "name"), getattr(b, "tricks", "none"))
setattr(b, "color", "yellow")
print(b.color, getattr(b, "color"))
delattr(b, "color")
print(hasattr(b, "color"))
del d.tricks
print(hasattr(d, "tricks"))
print(vars(c))
print(vars(p))
print(sorted(vars(b).items()))
print(c.__dict__)

kinds = [Dog, Bird, Puppy]
made = [k("x" + str(i)) for i, k in enumerate(kinds)]
print([m.speak() for m in made])
print([type(m).__name__ for m in made])
factory = {"dog": Dog, "bird": Bird}
print(factory["bird"]("polly").legs)
speak = Puppy.speak
print(speak(p))
method = getattr(p, "describe")
print(method())
print(Animal.count)


class Empty:
    pass


e = Empty()
e.x = 1
e.y = [1, 2]
print(vars(e), Empty.__name__, isinstance(e, Empty))
