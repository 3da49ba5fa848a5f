# staticmethod, classmethod (alternative constructors), property getter/setter, class-level counters.


class Temperature:
    instances = 0
    unit = "C"

    def __init__(self, celsius=0.0):
        self._c = celsius
        Temperature.instances += 1

    @property
    def celsius(self):
        return self._c

    @celsius.setter
    def celsius(self, value):
        if value < -273.15:
            raise ValueError("below absolute zero")
        self._c = value

    @property
    def fahrenheit(self):
        return self._c * 9 / 5 + 32

    @staticmethod
    def c_to_f(c):
        return c * 9 / 5 + 32

    @classmethod
    def from_fahrenheit(cls, f):
        return cls((f - 32) * 5 / 9)

    @classmethod
    def describe(cls):
        return f"{cls.__name__} in {cls.unit}, {cls.instances} made"

    def __repr__(self):
        return f"{type(self).__name__}({self._c:.1f})"


class Kelvin(Temperature):
    unit = "K"


t = Temperature(25)
print(t.celsius, t.fahrenheit)
t.celsius = 100
print(t, t.fahrenheit)
try:
    t.celsius = -300
except ValueError as e:
    print("error:", e)
try:
    t.fahrenheit = 3
except AttributeError as e:
    print("AttributeError")
print(Temperature.c_to_f(10), t.c_to_f(20))
f = Temperature.from_fahrenheit(212)
print(f, type(f).__name__)
k = Kelvin.from_fahrenheit(32)
print(k, type(k).__name__, isinstance(k, Temperature))
print(Temperature.describe())
print(Kelvin.describe(), k.describe())
print(Temperature.instances, Kelvin.instances, t.instances)
print(type(Temperature.__dict__["celsius"]).__name__)
print(isinstance(Temperature.__dict__["c_to_f"], staticmethod))
